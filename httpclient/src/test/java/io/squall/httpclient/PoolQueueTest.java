package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The maxClients queue: at most that many requests in flight, the rest waiting in order, within a time limit. */
class PoolQueueTest extends ConnectionTestCase {
    @Test
    void requestsBeyondMaxClientsWaitInArrivalOrder() {
        run(() -> {
            int port = serveWeb();
            AsyncHttpClient client = client(HttpClientOptions.builder().maxClients(2).build());
            List<Future<HttpResponse>> fetches = IntStream.range(0, 6)
                    .mapToObj(i -> client.fetch(url(port, "/?ms=150&id=" + i))).toList();
            List<HttpResponse> responses = await(multi(fetches));
            assertEquals(List.of("0", "1", "2", "3", "4", "5"), arrivals);
            assertEquals(2, maxActive);
            assertEquals(2, webConnections(), () -> "client ports " + clientPorts);
            for (int i = 0; i < 6; i++) {
                long queued = millis(responses.get(i).timing().queue());
                long expected = (i / 2) * 150L; // each pair waits for the pairs before it
                assertTrue(queued >= expected - 30 && queued < expected + 1000,
                        "request " + i + " queued " + queued + " ms, expected about " + expected);
            }
        });
    }

    @Test
    void waitingLongerThanTheConnectTimeoutFailsInTheQueue() {
        assertQueueTimeout(ms(100), ms(5000));
    }

    @Test
    void waitingLongerThanTheRequestTimeoutFailsInTheQueue() {
        assertQueueTimeout(ms(5000), ms(100));
    }

    private void assertQueueTimeout(Duration connectTimeout, Duration requestTimeout) {
        run(() -> {
            int port = serveWeb();
            AsyncHttpClient client = client(HttpClientOptions.builder().maxClients(1).build());
            Future<HttpResponse> busy = client.fetch(url(port, "/?ms=500&id=busy"));
            long start = loop.time();
            QueueTimeoutException e = assertFails(QueueTimeoutException.class, FetchPhase.QUEUE,
                    client.fetch(HttpRequest.builder(url(port, "/?id=queued"))
                            .connectTimeout(connectTimeout).requestTimeout(requestTimeout).build()));
            long waited = (loop.time() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("Timeout in request queue"), e.getMessage());
            assertEquals(ms(100), e.timeout());
            assertTrue(waited >= 80 && waited < 450, "failed after " + waited + " ms");
            assertEquals("ok", await(busy).text());
            assertEquals(List.of("busy"), arrivals, "the queued request was never sent");
            assertEquals("ok", await(client.fetch(url(port, "/?id=later"))).text(), "its slot was not lost");
        });
    }
}
