package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.httpserver.HttpServerConnectionDelegate;
import io.squall.http.RequestStartLine;
import io.squall.http.ResponseStartLine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Routes whose target is a nested Application or an HttpServerConnectionDelegate (Tornado's RuleRouter targets). */
class NestedTargetsTest extends WebTestCase {
    /** Answers {@code METHOD TARGET: N bytes} after counting the body's bytes as they arrive. */
    static final class CountingDelegate implements HttpServerConnectionDelegate {
        @Override
        public HttpMessageDelegate startRequest(HttpConnection connection) {
            return new HttpMessageDelegate() {
                private String requestLine;
                private long bytes;

                @Override
                public io.squall.concurrent.Future<?> headersReceived(RequestStartLine startLine, HttpHeaders headers) {
                    requestLine = startLine.method() + " " + startLine.target();
                    return null;
                }

                @Override
                public io.squall.concurrent.Future<?> dataReceived(ByteBuffer chunk) {
                    bytes += chunk.remaining();
                    return null;
                }

                @Override
                public void finish() {
                    byte[] body = (requestLine + ": " + bytes + " bytes").getBytes(StandardCharsets.UTF_8);
                    connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"),
                            new HttpHeaders().set("Content-Length", Integer.toString(body.length)), ByteBuffer.wrap(body));
                    connection.finish();
                }
            };
        }
    }

    @Test
    void aNestedApplicationRoutesWithItsOwnRoutesAndSettings() {
        run(() -> {
            Application api = Application.builder()
                    .jsonErrors(true)
                    .filter(new Filter() {
                        @Override
                        public void beforeResponse(RequestHandler handler) {
                            handler.setHeader("X-Api", "v1");
                        }
                    })
                    .route("/api/todos/{id}", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            write("todo " + pathArgument("id", int.class));
                        }
                    })
                    .build();
            serve(Application.builder()
                    .route("/", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            write("home");
                        }
                    })
                    .routeTo("/api/.*", api)
                    .routeTo("/count", new CountingDelegate())
                    .build());
            var todo = fetch("/api/todos/3");
            assertEquals("todo 3", todo.body());
            assertEquals("v1", todo.headers().firstValue("X-Api").orElseThrow());
            var apiMissing = fetch("/api/nothing");
            assertEquals(404, apiMissing.statusCode());
            assertEquals("{\"status\":404,\"error\":\"Not Found\"}", apiMissing.body()); // the inner app's setting
            var outerMissing = fetch("/nothing");
            assertTrue(outerMissing.body().startsWith("<html>"), outerMissing.body());
            assertEquals("home", fetch("/").body());
        });
    }

    @Test
    void aConnectionDelegateGetsTheRequestStream() {
        run(() -> {
            serve(Application.builder().routeTo("/count", new CountingDelegate()).build());
            assertEquals("POST /count?x=1: 100000 bytes", fetch("POST", "/count?x=1", "x".repeat(100_000)).body());
            String chunked = rawUntil("POST /count HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n3\nabc\n2\nde\n0\n",
                    "bytes");
            assertTrue(chunked.startsWith("HTTP/1.1 200 OK\r\n"), chunked);
            assertTrue(chunked.endsWith("POST /count: 5 bytes"), chunked);
            assertEquals("GET /count: 0 bytes", curlOutput("http://127.0.0.1:" + port + "/count"));
        });
    }
}
