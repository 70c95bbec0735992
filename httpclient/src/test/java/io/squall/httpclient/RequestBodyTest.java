package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.TestBytes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sending request bodies (simple_httpclient_test items 16-17): a body producer's framing (chunked without a
 * Content-Length, raw with one), a producer that awaits, and {@code Expect: 100-continue}, with a server that
 * says continue and one that refuses first.
 */
class RequestBodyTest extends HttpClientTestCase {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static final BodyProducer HELLO_WORLD = out -> {
        out.write("hello");
        out.write(new byte[0]); // nothing to send: no empty chunk, which would end the body
        out.write(" world");
    };

    /** Sends {@code HELLO_WORLD} with a PUT built by {@code request} and returns what the server received. */
    private String sentByProducer(HttpRequest.Builder request) {
        await(client().fetch(request.method("PUT").bodyProducer(HELLO_WORLD).build()));
        return received.getFirst();
    }

    @Test
    void producerWithoutLengthIsChunked() {
        run(() -> {
            String sent = sentByProducer(HttpRequest.builder(answering(OK)));
            assertEquals("chunked", headerIn(sent, "Transfer-Encoding"));
            assertNull(headerIn(sent, "Content-Length"));
            assertTrue(sent.endsWith("\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), sent);
        });
    }

    @Test
    void producerWithLengthIsRaw() {
        run(() -> {
            String sent = sentByProducer(HttpRequest.builder(answering(OK)).header("Content-Length", "11"));
            assertEquals("11", headerIn(sent, "Content-Length"));
            assertNull(headerIn(sent, "Transfer-Encoding"));
            assertTrue(sent.endsWith("\r\n\r\nhello world"), sent);
        });
    }

    @Test
    void producerThatAwaits() {
        run(() -> {
            String url = serve("/echo", EchoHandler::new);
            HttpRequest request = HttpRequest.builder(url + "/echo").method("POST").header("Content-Type", "text/plain")
                    .bodyProducer(out -> {
                        out.write("a");
                        await(sleep(ms(20)));
                        out.write("b");
                    }).build();
            assertEquals("ab", await(client().fetch(request)).json().path("body").asText());
        });
    }

    @Test
    void producerFailureFailsTheFetch() {
        run(() -> {
            String url = answering(OK);
            IllegalStateException failure = new IllegalStateException("no more data");
            HttpRequest request = HttpRequest.builder(url).method("POST").bodyProducer(out -> {
                out.write("partial");
                throw failure;
            }).build();
            assertEquals(failure, assertFetchFails(IllegalStateException.class, client().fetch(request)));
        });
    }

    @Test
    void expectContinueWithSquallServer() {
        run(() -> {
            String url = serve("/echo", EchoHandler::new);
            HttpRequest request = HttpRequest.builder(url + "/echo").method("PUT").body("hello").expect100Continue(true)
                    .build();
            HttpResponse response = await(client().fetch(request));
            assertEquals("hello", response.json().path("body").asText());
            assertEquals("100-continue", response.json().path("headers").path("expect").asText());
        });
    }

    @Test
    void bodySentOnlyAfterContinue() {
        run(() -> {
            List<String> events = new ArrayList<>();
            String url = rawServer((stream, head) -> {
                assertEquals("100-continue", headerIn(head, "Expect"));
                events.add("continue");
                await(stream.write(TestBytes.bytes("HTTP/1.1 100 Continue\r\n\r\n")));
                events.add("body " + readBody(stream, head));
                await(stream.write(TestBytes.bytes(OK)));
            });
            HttpRequest request = HttpRequest.builder(url).method("POST").header("Content-Length", "5")
                    .expect100Continue(true).bodyProducer(out -> {
                        events.add("producer");
                        out.write("hello");
                    }).build();
            assertEquals("ok", await(client().fetch(request)).text());
            assertEquals(List.of("continue", "producer", "body hello"), events);
        });
    }

    @Test
    void earlyRefusalSkipsTheBody() {
        run(() -> {
            String url = rawServer((stream, head) -> {
                received.add(head);
                await(stream.write(TestBytes.bytes("HTTP/1.1 403 Forbidden\r\nContent-Length: 6\r\n\r\nno way")));
            });
            boolean[] produced = new boolean[1];
            HttpRequest request = HttpRequest.builder(url).method("POST").expect100Continue(true)
                    .bodyProducer(out -> produced[0] = true).build();
            HttpResponse response = await(client().fetch(request, false));
            assertEquals(403, response.code());
            assertEquals("no way", response.text());
            assertFalse(produced[0], "the producer is never called");
            // The connection that skipped its body is not reused: the next request opens another.
            HttpResponse again = await(client().fetch(request, false));
            assertFalse(again.timing().reusedConnection());
            assertEquals(2, received.size());
        });
    }
}
