package io.squall.httpclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** BlockingHttpClient from a plain thread: results, the same exceptions as the async client, its own loop thread. */
class BlockingClientTest extends ConnectionTestCase {
    /** Released after the test, so that the /hang handler's thread ends. */
    private final CountDownLatch release = new CountDownLatch(1);

    private int serve() {
        int port = serveJdk(Map.of(
                "/ok", exchange -> respond(exchange, 200, "ok"),
                "/missing", exchange -> respond(exchange, 404, "no such thing"),
                "/hang", exchange -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                }));
        closeLater(release::countDown); // closed before the server, whose stop waits for the handler
        return port;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes();
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("squall-http-client") && t.isAlive()).count();
    }

    @Test
    void fetchesFromAPlainThreadAndRunsCallbacksOnItsLoop() {
        int port = serve();
        BlockingHttpClient client = closeLater(new BlockingHttpClient());
        assertEquals("ok", client.fetch(url(port, "/ok")).text());
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        List<byte[]> chunks = new ArrayList<>();
        client.fetch(HttpRequest.builder(url(port, "/ok")).streamingCallback(chunk -> {
            callbackThread.set(Thread.currentThread());
            chunks.add(chunk);
        }).build());
        assertEquals("ok", new String(chunks.getFirst()));
        assertNotSame(Thread.currentThread(), callbackThread.get());
        assertTrue(client.fetch(url(port, "/ok")).timing().reusedConnection());
    }

    @Test
    void errorsAreTheAsyncClientsExceptions() {
        int port = serve();
        BlockingHttpClient client = closeLater(new BlockingHttpClient());
        ConnectFailedException refused = assertThrows(ConnectFailedException.class,
                () -> client.fetch(url(closedPort(), "/")));
        assertEquals(FetchPhase.CONNECT, refused.phase());
        assertEquals(404, assertThrows(HttpClientError.class, () -> client.fetch(url(port, "/missing"))).code());
        assertEquals("no such thing", client.fetch(HttpRequest.get(url(port, "/missing")), false).text());
        RequestTimeoutException timeout = assertThrows(RequestTimeoutException.class, () -> client.fetch(
                HttpRequest.builder(url(port, "/hang")).requestTimeout(ms(200)).build()));
        assertEquals(FetchPhase.RESPONSE_HEADERS, timeout.phase());
    }

    @Test
    void fetchOnItsOwnLoopIsRefused() {
        int port = serve();
        BlockingHttpClient client = closeLater(new BlockingHttpClient());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.fetch(
                HttpRequest.builder(url(port, "/ok")).streamingCallback(chunk -> client.fetch(url(port, "/ok"))).build()));
        assertTrue(e.getMessage().contains("own loop"), e.getMessage());
    }

    @Test
    void closeStopsItsThreadAndLaterFetchesAreRefused() {
        int port = serve();
        long before = clientThreads();
        BlockingHttpClient client = new BlockingHttpClient();
        assertEquals(before + 1, clientThreads());
        client.fetch(url(port, "/ok"));
        client.close();
        assertEquals(before, clientThreads());
        client.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> client.fetch(url(port, "/ok")));
    }

    @Test
    void sharedBetweenThreads() throws InterruptedException {
        int port = serve();
        BlockingHttpClient client = closeLater(new BlockingHttpClient(HttpClientOptions.builder().maxClients(2).build()));
        List<String> texts = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            threads.add(Thread.ofVirtual().start(() -> texts.add(client.fetch(url(port, "/ok")).text())));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of("ok", "ok", "ok", "ok", "ok", "ok"), texts);
    }
}
