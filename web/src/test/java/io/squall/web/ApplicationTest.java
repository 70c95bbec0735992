package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.httpserver.HttpServerOptions;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Application-level behaviour: listening, settings, server options, keep-alive. */
class ApplicationTest extends WebTestCase {
    @Test
    void settingsAreVisibleToHandlers() {
        run(() -> {
            serve(Application.builder()
                    .setting("greeting", "bonjour")
                    .route("/", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            write(settings().get("greeting") + " " + (application().defaultHost() == null));
                        }
                    }).build());
            assertEquals("bonjour true", fetch("/").body());
            assertThrows(UnsupportedOperationException.class, () -> app.settings().put("x", 1));
        });
    }

    @Test
    void listenUsesTheServerOptionsOfTheApplication() {
        run(() -> {
            serve(Application.builder()
                    .serverOptions(HttpServerOptions.builder().maxBodySize(10).build())
                    .route("/", () -> new RequestHandler() {
                        @Override
                        protected void post() {
                            write(request().body());
                        }
                    }).build());
            assertEquals("0123456789", fetch("POST", "/", "0123456789").body());
            String response = raw("POST / HTTP/1.1\nHost: localhost\nContent-Length: 11\n\n01234567890");
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
        });
    }

    @Test
    void keepAliveConnectionServesPipelinedRequestsInOrder() {
        run(() -> {
            serve(Application.builder().route("/(.*)", () -> new RequestHandler() {
                @Override
                protected void get() {
                    write("[" + pathArgs().getFirst() + "]");
                }
            }).build());
            String response = raw("GET /a HTTP/1.1\nHost: localhost\n\nGET /b HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            int a = response.indexOf("\r\n\r\n[a]HTTP/1.1 200 OK\r\n");
            assertTrue(a > 0, response);
            assertTrue(response.endsWith("\r\n\r\n[b]"), response);
        });
    }

    @Test
    void closeStopsListening() {
        run(() -> {
            serve(Application.builder().route("/", RoutingTest.HelloHandler::new).build());
            assertEquals("hello", fetch("/").body());
            app.close();
            // NIO releases a channel registered with a selector at the selector's next select(): let the
            // loop turn once through a timer (a bare moment() may be served without a select).
            await(sleep(Duration.ofMillis(1)));
            CompletionException e = assertThrows(CompletionException.class, () -> await(loop.runInExecutor(null, () -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    return socket.isConnected();
                }
            })));
            assertTrue(e.getCause() instanceof ConnectException, e.toString());
        });
    }
}
