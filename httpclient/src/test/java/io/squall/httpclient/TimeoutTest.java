package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.iostream.StreamClosedError;
import io.squall.net.Resolver;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Connect and request timeouts, each naming the phase it ran out in, and cancelling a fetch. */
class TimeoutTest extends ConnectionTestCase {
    /** A resolver that never answers. */
    private static final Resolver SILENT = (host, port, family) -> new Future<>();

    /** A server that reads the request and never answers, until the client closes the connection. */
    private RawServer silentServer() {
        return rawServer((server, stream, index) -> {
            server.readHead(stream);
            server.awaitClientClose(stream);
        });
    }

    /** Inside a coroutine: awaits {@code fetch}, expecting a timeout in {@code phase} after about {@code limit}. */
    private <T extends HttpTimeoutException> T assertTimesOutIn(Class<T> type, FetchPhase phase, Duration limit,
                                                                 Future<HttpResponse> fetch, long start) {
        T e = assertFails(type, phase, fetch);
        long waited = (loop.time() - start) / 1_000_000;
        assertTrue(waited >= limit.toMillis() - 20 && waited < limit.toMillis() + 1500,
                "timed out after " + waited + " ms");
        assertEquals(limit, e.timeout());
        return e;
    }

    @Test
    void connectTimeoutWhileResolving() {
        run(() -> {
            AsyncHttpClient client = client(HttpClientOptions.builder().resolver(SILENT).build());
            long start = loop.time();
            HttpConnectTimeoutException e = assertTimesOutIn(HttpConnectTimeoutException.class, FetchPhase.RESOLVE,
                    ms(150), client.fetch(HttpRequest.builder("http://example.test/").connectTimeout(ms(150)).build()),
                    start);
            assertTrue(e.getMessage().contains("Timeout while connecting"), e.getMessage());
            assertTrue(e.getMessage().contains("example.test"), e.getMessage());
        });
    }

    @Test
    void requestTimeoutWhileResolvingNamesTheResolvePhase() {
        run(() -> {
            AsyncHttpClient client = client(HttpClientOptions.builder().resolver(SILENT).build());
            long start = loop.time();
            RequestTimeoutException e = assertTimesOutIn(RequestTimeoutException.class, FetchPhase.RESOLVE, ms(150),
                    client.fetch(HttpRequest.builder("http://example.test/").requestTimeout(ms(150)).build()), start);
            assertTrue(e.getMessage().contains("Timeout during request"), e.getMessage());
        });
    }

    @Test
    void connectTimeoutDuringTheTlsHandshake() {
        run(() -> {
            RawServer server = silentServer(); // accepts, never speaks TLS
            AsyncHttpClient client = client();
            long start = loop.time();
            assertTimesOutIn(HttpConnectTimeoutException.class, FetchPhase.TLS_HANDSHAKE, ms(150),
                    client.fetch(HttpRequest.builder("https://127.0.0.1:" + server.port + "/")
                            .connectTimeout(ms(150)).build()), start);
            promptly(server.clientClosed);
        });
    }

    @Test
    void connectTimeoutWhileTheProxyDoesNotAnswerConnect() {
        run(() -> {
            RawServer proxy = silentServer();
            AsyncHttpClient client = client(HttpClientOptions.builder()
                    .proxy(ProxySettings.of("127.0.0.1", proxy.port)).build());
            long start = loop.time();
            HttpConnectTimeoutException e = assertTimesOutIn(HttpConnectTimeoutException.class, FetchPhase.PROXY,
                    ms(150), client.fetch(HttpRequest.builder("https://example.test/").connectTimeout(ms(150)).build()),
                    start);
            assertTrue(e.getMessage().contains("proxy 127.0.0.1:" + proxy.port), e.getMessage());
            assertTrue(proxy.heads.getFirst().startsWith("CONNECT example.test:443 HTTP/1.1\r\n"), proxy.heads::toString);
            promptly(proxy.clientClosed);
        });
    }

    @Test
    void requestTimeoutWhileWaitingForTheHead() {
        run(() -> {
            RawServer server = silentServer();
            AsyncHttpClient client = client(HttpClientOptions.builder().maxClients(1).build());
            long start = loop.time();
            RequestTimeoutException e = assertTimesOutIn(RequestTimeoutException.class, FetchPhase.RESPONSE_HEADERS,
                    ms(200), client.fetch(HttpRequest.builder(server.url("/")).requestTimeout(ms(200)).build()), start);
            assertTrue(e.getMessage().contains("Timeout during request"), e.getMessage());
            promptly(server.clientClosed);
            assertEquals(0, client.pool().idleCount());
            assertEquals("ok", promptly(client.fetch(okServer().url("/"))).text(), "the slot was freed");
        });
    }

    @Test
    void requestTimeoutWhileTheBodyTrickles() {
        run(() -> {
            RawServer server = rawServer((s, stream, index) -> {
                s.readHead(stream);
                send(stream, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
                try {
                    for (int i = 0; i < 100; i++) {
                        send(stream, "x");
                        await(io.squall.gen.Coroutines.sleep(ms(30)));
                    }
                } catch (StreamClosedError e) {
                    s.clientClosed.trySetResult(null);
                }
            });
            AsyncHttpClient client = client();
            long start = loop.time();
            assertTimesOutIn(RequestTimeoutException.class, FetchPhase.RESPONSE_BODY, ms(300),
                    client.fetch(HttpRequest.builder(server.url("/")).requestTimeout(ms(300)).build()), start);
            promptly(server.clientClosed);
        });
    }

    @Test
    void zeroTimeoutsMeanNone() {
        run(() -> {
            int port = serveWeb();
            AsyncHttpClient client = client(HttpClientOptions.builder().maxClients(1).build());
            HttpRequest slow = HttpRequest.builder(url(port, "/?ms=300"))
                    .connectTimeout(Duration.ZERO).requestTimeout(Duration.ZERO).build();
            Future<HttpResponse> first = client.fetch(slow);
            Future<HttpResponse> queued = client.fetch(slow); // waits 300 ms for the slot, no limit
            assertEquals("ok", await(first).text());
            HttpResponse second = await(queued);
            assertEquals("ok", second.text());
            assertTrue(millis(second.timing().queue()) >= 250, second.timing()::toString);
        });
    }

    @Test
    void cancellingAFetchClosesItsConnectionAndFreesItsSlot() {
        run(() -> {
            RawServer server = silentServer();
            AsyncHttpClient client = client(HttpClientOptions.builder().maxClients(1).build());
            Future<HttpResponse> fetch = client.fetch(server.url("/"));
            promptly(server.firstHead);
            assertTrue(fetch.cancel());
            assertThrows(CancellationException.class, () -> await(fetch));
            promptly(server.clientClosed);
            RawServer other = okServer();
            assertEquals("ok", promptly(client.fetch(other.url("/"))).text());
        });
    }

    @Test
    void cancellingAQueuedFetchNeverSendsIt() {
        run(() -> {
            int port = serveWeb();
            AsyncHttpClient client = client(HttpClientOptions.builder().maxClients(1).build());
            Future<HttpResponse> busy = client.fetch(url(port, "/?ms=200&id=busy"));
            Future<HttpResponse> queued = client.fetch(url(port, "/?id=queued"));
            assertTrue(queued.cancel());
            await(busy);
            assertEquals("ok", await(client.fetch(url(port, "/?id=after"))).text());
            assertEquals(java.util.List.of("busy", "after"), arrivals);
        });
    }
}
