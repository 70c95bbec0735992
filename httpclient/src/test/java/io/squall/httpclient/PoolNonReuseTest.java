package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** When a connection must not go back to the pool: the client closes it and the next request connects anew. */
class PoolNonReuseTest extends ConnectionTestCase {
    /**
     * A server whose first connection gets {@code response} to its first request and is then kept open
     * until the client closes it; later connections get {@link #OK} on keep-alive.
     */
    private RawServer firstAnswer(String response) {
        return rawServer((server, stream, index) -> {
            if (index > 0) {
                server.keepAlive(stream);
                return;
            }
            server.readHead(stream);
            send(stream, response);
            server.awaitClientClose(stream);
        });
    }

    /** Inside a coroutine: the client closed the first connection, pools nothing, and connects again. */
    private void assertDroppedThenReconnects(RawServer server, AsyncHttpClient client) {
        promptly(server.clientClosed);
        assertEquals(0, client.pool().idleCount());
        HttpResponse next = await(client.fetch(server.url("/next")));
        assertEquals("ok", next.text());
        assertFalse(next.timing().reusedConnection());
        assertEquals(2, server.accepted);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: Close\r\n\r\nok",
        "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
    })
    void responseThatEndsTheConnectionIsNotPooled(String response) {
        run(() -> {
            RawServer server = firstAnswer(response);
            AsyncHttpClient client = client();
            assertEquals("ok", await(client.fetch(server.url("/"))).text());
            assertDroppedThenReconnects(server, client);
        });
    }

    private static final String STRAY_408 = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n";

    @Test
    void bytesArrivingRightAfterTheResponseKeepTheConnectionOutOfThePool() {
        run(() -> {
            RawServer server = firstAnswer(OK + STRAY_408); // one write: they arrive together
            AsyncHttpClient client = client();
            assertEquals("ok", await(client.fetch(server.url("/"))).text());
            assertDroppedThenReconnects(server, client);
        });
    }

    @Test
    void connectionOnWhichTheServerSentSomethingWhileIdleIsNotReused() {
        run(() -> {
            Future<Void> strayNow = new Future<>();
            Future<Void> straySent = new Future<>();
            RawServer server = rawServer((s, stream, index) -> {
                if (index > 0) {
                    s.keepAlive(stream);
                    return;
                }
                stream.setNoDelay(true); // no Nagle delay: on loopback, a write is in the client's socket when it returns
                s.readHead(stream);
                send(stream, OK);
                await(strayNow);
                send(stream, STRAY_408);
                straySent.setResult(null);
                s.awaitClientClose(stream);
            });
            AsyncHttpClient client = client();
            assertEquals("ok", await(client.fetch(server.url("/"))).text());
            assertEquals(1, client.pool().idleCount());
            strayNow.setResult(null);
            await(straySent);
            // Taking the idle connection finds the bytes without waiting for the loop to poll its socket.
            HttpResponse next = await(client.fetch(server.url("/next")));
            assertEquals(200, next.code());
            assertEquals("ok", next.text());
            assertFalse(next.timing().reusedConnection());
            assertEquals(2, server.accepted);
            promptly(server.clientClosed);
        });
    }

    @Test
    void http10ResponseWithKeepAliveIsPooled() {
        run(() -> {
            RawServer server = rawServer((s, stream, index) -> {
                while (s.readHead(stream) != null) {
                    send(stream, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok");
                }
            });
            AsyncHttpClient client = client();
            await(client.fetch(server.url("/")));
            assertTrue(await(client.fetch(server.url("/"))).timing().reusedConnection());
            assertEquals(1, server.accepted);
        });
    }

    @Test
    void responseDelimitedByTheCloseIsReadToTheEndAndNotPooled() {
        run(() -> {
            RawServer server = rawServer((s, stream, index) -> {
                s.readHead(stream);
                send(stream, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the close");
                stream.close();
            });
            AsyncHttpClient client = client();
            assertEquals("until the close", await(client.fetch(server.url("/"))).text());
            assertEquals(0, client.pool().idleCount());
            HttpResponse second = await(client.fetch(server.url("/")));
            assertEquals("until the close", second.text());
            assertFalse(second.timing().reusedConnection());
            assertEquals(2, server.accepted);
        });
    }

    @Test
    void requestWithConnectionCloseIsNotPooled() {
        run(() -> {
            RawServer server = firstAnswer(OK); // a server that would keep the connection
            AsyncHttpClient client = client();
            await(client.fetch(HttpRequest.builder(server.url("/")).header("Connection", "close").build()));
            assertTrue(server.heads.getFirst().contains("\r\nConnection: close\r\n"), server.heads::toString);
            assertDroppedThenReconnects(server, client);
        });
    }

    /** First answers that end in an error, the client's body limit, and the error they must raise. */
    static Stream<Arguments> failingAnswers() {
        return Stream.of(
                Arguments.of("a body over the limit", "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n" + "x".repeat(20),
                        ResponseTooLargeException.class, FetchPhase.RESPONSE_BODY),
                Arguments.of("a chunked body over the limit", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", ResponseTooLargeException.class,
                        FetchPhase.RESPONSE_BODY),
                Arguments.of("a malformed response", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
                        MalformedResponseException.class, FetchPhase.RESPONSE_HEADERS));
    }

    @ParameterizedTest(name = "{0} closes the connection")
    @MethodSource("failingAnswers")
    void anErrorClosesTheConnection(String what, String answer, Class<? extends HttpClientException> error,
                                    FetchPhase phase) {
        run(() -> {
            RawServer server = firstAnswer(answer);
            AsyncHttpClient client = client(HttpClientOptions.builder().maxBodySize(10).build());
            assertFails(error, phase, client.fetch(server.url("/")));
            assertDroppedThenReconnects(server, client);
        });
    }

    @Test
    void bodyLeftUnreadByAFailingStreamingCallbackClosesTheConnection() {
        run(() -> {
            RawServer server = firstAnswer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            AsyncHttpClient client = client();
            HttpRequest request = HttpRequest.builder(server.url("/")).streamingCallback(chunk -> {
                throw new IllegalStateException("consumer gave up");
            }).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(client.fetch(request)));
            assertEquals("consumer gave up", e.getMessage()); // the callback's own exception, as thrown
            assertDroppedThenReconnects(server, client);
        });
    }

    @Test
    void zeroIdleConnectionTimeoutSendsConnectionCloseAndNeverPools() {
        run(() -> {
            RawServer server = okServer();
            AsyncHttpClient client = client(HttpClientOptions.builder().idleConnectionTimeout(Duration.ZERO).build());
            for (int i = 0; i < 3; i++) {
                assertFalse(await(client.fetch(server.url("/"))).timing().reusedConnection());
            }
            assertEquals(3, server.accepted);
            assertEquals(3, server.heads.size());
            assertTrue(server.heads.stream().allMatch(h -> h.contains("\r\nConnection: close\r\n")), server.heads::toString);
            assertEquals(0, client.pool().idleCount());
        });
    }
}
