package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import io.squall.testing.TestBytes;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The response and how it is delivered (simple_httpclient_test items 12 and 21): errors for statuses outside
 * 2xx or not, the callback form, timing and start time, fetching {@code response.request()} again, and the
 * body as text in the Content-Type's charset or as JSON.
 */
class ResponseTest extends HttpClientTestCase {
    /** A Jackson target for the JSON tests. */
    record Item(String name, int count) {}

    @Test
    void errorStatusRaisesWithTheResponse() {
        run(() -> {
            String base = serve("/echo", EchoHandler::new);
            HttpClientError error = assertFetchFails(HttpClientError.class, client().fetch(base + "/missing"));
            assertEquals(404, error.code());
            assertEquals(404, error.response().code());
            assertTrue(error.response().text().contains("404"), error.response().text());
            assertTrue(error.getMessage().contains("404"), error.getMessage());

            HttpResponse response = await(client().fetch(HttpRequest.get(base + "/missing"), false));
            assertEquals(404, response.code());
            assertFalse(response.isSuccess());
            assertEquals("Not Found", response.reason());
        });
    }

    @Test
    void callbackForm() {
        run(() -> {
            String base = serve("/echo", EchoHandler::new);
            Future<String> done = new Future<>();
            client().fetch(HttpRequest.get(base + "/missing"), (response, error) ->
                    done.setResult("on loop " + (loop.inLoop() && IOLoop.current() == loop) + ": " + response.code()
                            + ", " + error));
            assertEquals("on loop true: 404, null", await(done), "a status outside 2xx is a response, not an error");

            int closedPort;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = socket.getLocalPort();
            }
            Future<Throwable> failed = new Future<>();
            client().fetch(HttpRequest.get("http://127.0.0.1:" + closedPort + "/"), (response, error) ->
                    failed.setResult(response == null ? error : new AssertionError("a response: " + response)));
            Throwable error = await(failed);
            assertTrue(error instanceof ConnectFailedException, String.valueOf(error));
        });
    }

    @Test
    void timingAndRefetch() {
        run(() -> {
            String base = serve("/echo", EchoHandler::new);
            Instant before = Instant.now();
            HttpResponse response = await(client().fetch(base + "/echo"));
            Instant after = Instant.now();
            Duration total = response.timing().total();
            assertFalse(total.isNegative());
            assertTrue(total.compareTo(Duration.ofSeconds(1)) < 0, total.toString());
            assertFalse(response.startTime().isBefore(before), "startTime is wall-clock time");
            assertFalse(response.startTime().isAfter(after));
            assertTrue(response.timing().firstByte().compareTo(total) <= 0, response.timing().toString());

            HttpResponse again = await(client().fetch(response.request()));
            assertSame(response.request(), again.request());
            assertEquals("GET", again.json().path("method").asText());
            assertTrue(again.timing().reusedConnection(), "a keep-alive connection is reused");
            assertEquals(Duration.ZERO, again.timing().connect());
        });
    }

    @Test
    void textUsesTheContentTypeCharset() {
        run(() -> {
            byte[] latin1 = TestBytes.bytes("b\u00e4r");
            String url = answering(response("Content-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Length: 3\r\n",
                    latin1));
            assertEquals("b\u00e4r", await(client().fetch(url)).text());
            byte[] utf8 = utf8("b\u00e4r");
            url = answering(response("Content-Type: text/plain\r\nContent-Length: " + utf8.length + "\r\n", utf8));
            assertEquals("b\u00e4r", await(client().fetch(url)).text(), "UTF-8 without a charset");
            url = answering(response("Content-Type: text/plain; charset=no-such-charset\r\nContent-Length: "
                    + utf8.length + "\r\n", utf8));
            assertEquals("b\u00e4r", await(client().fetch(url)).text(), "UTF-8 for an unknown charset");
        });
    }

    @Test
    void jsonAsClassTypeReferenceAndTree() {
        run(() -> {
            String url = answering(response("Content-Type: application/json\r\n",
                    utf8("{\"items\": [{\"name\": \"a\", \"count\": 1}, {\"name\": \"b\", \"count\": 2}]}")));
            HttpResponse response = await(client().fetch(url));
            JsonNode tree = response.json();
            assertEquals("b", tree.path("items").path(1).path("name").asText());
            Map<String, List<Item>> typed = response.json(new TypeReference<Map<String, List<Item>>>() {});
            assertEquals(List.of(new Item("a", 1), new Item("b", 2)), typed.get("items"));
            @SuppressWarnings("unchecked")
            Map<String, Object> untyped = response.json(Map.class);
            assertEquals(List.of("items"), List.copyOf(untyped.keySet()));
            assertThrows(UncheckedIOException.class, () -> response.json(Item.class));

            HttpResponse notJson = await(client().fetch(answering(response("", utf8("<html>")))));
            assertThrows(UncheckedIOException.class, notJson::json);
        });
    }
}
