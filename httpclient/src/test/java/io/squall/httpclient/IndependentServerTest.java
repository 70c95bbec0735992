package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.squall.testing.TestBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The client against a server Squall did not write: the JDK's com.sun.net.httpserver. */
class IndependentServerTest extends ConnectionTestCase {
    private static final byte[] LARGE = TestBytes.random(200_000, 7);

    /** "method path client-port Accept-Encoding" of each request, in order. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private int port;

    private void serve() {
        port = serveJdk(Map.of(
                "/hello", recording(exchange -> respond(exchange, 200, "hello".getBytes())),
                "/echo", recording(exchange -> respond(exchange, 200, exchange.getRequestBody().readAllBytes())),
                "/chunked", recording(exchange -> {
                    exchange.sendResponseHeaders(200, 0); // 0: chunked
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (int off = 0; off < LARGE.length; off += 50_000) {
                            out.write(LARGE, off, 50_000);
                            out.flush();
                        }
                    }
                }),
                "/gzip", recording(exchange -> {
                    exchange.getResponseHeaders().set("Content-Encoding", "gzip");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = new GZIPOutputStream(exchange.getResponseBody())) {
                        out.write(LARGE);
                    }
                })));
    }

    private HttpHandler recording(HttpHandler handler) {
        return exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRemoteAddress().getPort() + " " + exchange.getRequestHeaders().getFirst("Accept-Encoding"));
            handler.handle(exchange);
        };
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void get() {
        run(() -> {
            serve();
            HttpResponse response = await(client().fetch(url(port, "/hello")));
            assertEquals(200, response.code());
            assertEquals("hello", response.text());
            assertEquals("5", response.header("Content-Length"));
        });
    }

    @Test
    void postIsEchoed() {
        run(() -> {
            serve();
            HttpResponse response = await(client().fetch(
                    HttpRequest.builder(url(port, "/echo")).method("POST").body(LARGE).build()));
            assertArrayEquals(LARGE, response.body());
            assertTrue(seen.getFirst().startsWith("POST /echo "), seen::toString);
        });
    }

    @Test
    void chunkedResponse() {
        run(() -> {
            serve();
            HttpResponse response = await(client().fetch(url(port, "/chunked")));
            assertEquals("chunked", response.header("Transfer-Encoding"));
            assertArrayEquals(LARGE, response.body());
        });
    }

    @Test
    void keepAliveConnectionIsReusedAcrossRoutes() {
        run(() -> {
            serve();
            AsyncHttpClient client = client();
            List<String> paths = List.of("/hello", "/chunked", "/gzip", "/hello");
            for (String path : paths) {
                await(client.fetch(url(port, path)));
            }
            assertEquals(1, seen.stream().map(s -> s.split(" ")[2]).distinct().count(), seen::toString);
            assertTrue(await(client.fetch(url(port, "/hello"))).timing().reusedConnection());
        });
    }

    @Test
    void gzipResponseIsDecompressed() {
        run(() -> {
            serve();
            HttpResponse response = await(client().fetch(url(port, "/gzip")));
            assertArrayEquals(LARGE, response.body());
            assertEquals("gzip", response.header("X-Consumed-Content-Encoding"));
            assertNull(response.header("Content-Encoding"));
            assertTrue(seen.getFirst().endsWith(" gzip"), "asked for gzip: " + seen);
        });
    }

    @Test
    void gzipResponseIsKeptAsIsWithoutDecompression() {
        run(() -> {
            serve();
            HttpResponse response = await(client().fetch(
                    HttpRequest.builder(url(port, "/gzip")).decompressResponse(false).build()));
            assertEquals("gzip", response.header("Content-Encoding"));
            assertFalse(java.util.Arrays.equals(LARGE, response.body()));
            assertEquals(0x1f, response.body()[0] & 0xff);
        });
    }
}
