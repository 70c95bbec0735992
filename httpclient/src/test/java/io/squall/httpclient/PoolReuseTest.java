package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.httpserver.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Keep-alive pooling: when connections are reused, how many are opened, and when idle ones go away. */
class PoolReuseTest extends ConnectionTestCase {
    @Test
    void sequentialRequestsReuseOneConnection() {
        run(() -> {
            int port = serveWeb();
            AsyncHttpClient client = client();
            List<HttpResponse> responses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                responses.add(await(client.fetch(url(port, "/"))));
            }
            assertEquals(1, webConnections(), () -> "client ports " + clientPorts);
            assertFalse(responses.get(0).timing().reusedConnection());
            assertFalse(responses.get(0).timing().connect().isZero());
            for (HttpResponse reused : responses.subList(1, 3)) {
                assertTrue(reused.timing().reusedConnection());
                assertTrue(reused.timing().connect().isZero(), reused.timing()::toString);
                assertEquals(responses.get(0).header("X-Client-Port"), reused.header("X-Client-Port"));
            }
            assertEquals(1, client.pool().idleCount());
        });
    }

    @Test
    void concurrentRequestsOpenUpToMaxClientsThenReuseThem() {
        run(() -> {
            int port = serveWeb();
            AsyncHttpClient client = client(HttpClientOptions.builder().maxClients(3).build());
            List<HttpResponse> first = await(multi(fetchAll(client, port, 6)));
            assertEquals(3, maxActive);
            assertEquals(3, webConnections(), () -> "client ports " + clientPorts);
            assertEquals(3, first.stream().filter(r -> r.timing().reusedConnection()).count());
            assertEquals(3, client.pool().idleCount());

            List<HttpResponse> second = await(multi(fetchAll(client, port, 3)));
            assertEquals(3, webConnections(), () -> "client ports " + clientPorts);
            assertTrue(second.stream().allMatch(r -> r.timing().reusedConnection()));
        });
    }

    private static List<Future<HttpResponse>> fetchAll(AsyncHttpClient client, int port, int n) {
        return IntStream.range(0, n).mapToObj(i -> client.fetch(url(port, "/?ms=100&id=" + i))).toList();
    }

    @Test
    void surplusConnectionsBeyondMaxIdleConnectionsPerHostAreClosed() {
        run(() -> {
            int port = serveWeb();
            AsyncHttpClient client = client(HttpClientOptions.builder().maxClients(3).maxIdleConnectionsPerHost(1).build());
            List<HttpResponse> first = await(multi(fetchAll(client, port, 3)));
            assertEquals(3, maxActive);
            assertEquals(3, webConnections(), () -> "client ports " + clientPorts);
            assertEquals(1, client.pool().idleCount(), "one kept, two closed");

            // The one kept (the first given back: the later ones found the pool full) serves one of the next two.
            List<HttpResponse> second = await(multi(fetchAll(client, port, 2)));
            assertEquals(1, second.stream().filter(r -> r.timing().reusedConnection()).count());
            assertEquals(4, webConnections(), () -> "client ports " + clientPorts);
            assertTrue(first.stream().map(r -> r.header("X-Client-Port")).toList()
                    .contains(second.stream().filter(r -> r.timing().reusedConnection()).findFirst().orElseThrow()
                            .header("X-Client-Port")));
            assertEquals(1, client.pool().idleCount());
        });
    }

    @Test
    void connectionsArePooledByHostAndPort() {
        run(() -> {
            int a = serveWeb();
            int b = serveWeb();
            AsyncHttpClient client = client();
            String[] urls = {url(a, "/"), url(b, "/"), "http://localhost:" + a + "/", url(a, "/"), url(b, "/"),
                    "http://localhost:" + a + "/"};
            List<Boolean> reused = new ArrayList<>();
            for (String u : urls) {
                reused.add(await(client.fetch(u)).timing().reusedConnection());
            }
            assertEquals(List.of(false, false, false, true, true, true), reused);
            assertEquals(3, webConnections(), () -> "client ports " + clientPorts);
            assertEquals(3, client.pool().idleCount());
        });
    }

    @Test
    void idleConnectionIsClosedAfterIdleConnectionTimeout() {
        run(() -> {
            RawServer server = okServer();
            AsyncHttpClient client = client(HttpClientOptions.builder().idleConnectionTimeout(ms(200)).build());
            await(client.fetch(server.url("/")));
            assertTrue(await(client.fetch(server.url("/"))).timing().reusedConnection(), "reused while fresh");
            long idleSince = loop.time();
            promptly(server.clientClosed);
            long idleMillis = (loop.time() - idleSince) / 1_000_000;
            assertTrue(idleMillis >= 150, "closed after only " + idleMillis + " ms");
            assertEquals(0, client.pool().idleCount());

            HttpResponse after = await(client.fetch(server.url("/")));
            assertFalse(after.timing().reusedConnection());
            assertEquals(2, server.accepted);
        });
    }

    @Test
    void serverClosingAnIdleConnectionIsNoticedAndTheNextRequestConnectsAgain() {
        run(() -> {
            int port = serveWeb(HttpServerOptions.builder().idleConnectionTimeout(ms(100)).build());
            AsyncHttpClient client = client();
            String firstPort = await(client.fetch(url(port, "/"))).header("X-Client-Port");
            await(sleep(ms(400)));
            assertEquals(0, client.pool().idleCount(), "the pool watches its idle connections");
            HttpResponse second = await(client.fetch(url(port, "/")));
            assertFalse(second.timing().reusedConnection());
            assertNotEquals(firstPort, second.header("X-Client-Port"));
        });
    }

    /** Answers the first request, then closes the connection when the second arrives, unanswered. */
    private RawServer closesOnSecondRequest() {
        return rawServer((server, stream, index) -> {
            if (index > 0) {
                server.keepAlive(stream);
                return;
            }
            server.readHead(stream);
            send(stream, OK);
            server.readHead(stream);
            stream.close();
        });
    }

    @Test
    void idempotentRequestOnAConnectionClosedUnderItIsSentAgainOnANewOne() {
        run(() -> {
            RawServer server = closesOnSecondRequest();
            AsyncHttpClient client = client();
            await(client.fetch(server.url("/")));
            HttpResponse second = await(client.fetch(server.url("/again")));
            assertEquals("ok", second.text());
            assertFalse(second.timing().reusedConnection());
            assertEquals(2, server.accepted);
            assertEquals(3, server.heads.size());
            assertTrue(server.heads.get(2).startsWith("GET /again "), server.heads::toString);
        });
    }

    @Test
    void postOnAConnectionClosedUnderItIsNotSentAgain() {
        run(() -> {
            RawServer server = closesOnSecondRequest();
            AsyncHttpClient client = client();
            await(client.fetch(server.url("/")));
            assertFails(StreamClosedEarlyException.class, FetchPhase.RESPONSE_HEADERS,
                    client.fetch(HttpRequest.builder(server.url("/post")).method("POST").body("x").build()));
            assertEquals(1, server.accepted);
        });
    }
}
