package io.squall.bench.httpclient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The JDK's side of the HTTP client comparison: one {@link HttpClient} (HTTP/1.1, its own default
 * executor and keep-alive pool), {@code sendAsync} with a {@link Semaphore} of WINDOW permits taken
 * before each request and given back when its response is complete. Arguments and output:
 * {@link ClientLoad}.
 */
public final class JdkClientLoad {
    private JdkClientLoad() {}

    /** Runs the load; see {@link ClientLoad} for the arguments. */
    public static void main(String[] args) throws Exception {
        ClientLoad load = ClientLoad.parse(args);
        HttpRequest request = HttpRequest.newBuilder(load.url()).build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            load.warmUpThenMeasure(requests -> {
                Semaphore window = new Semaphore(load.window());
                CountDownLatch done = new CountDownLatch(requests);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                for (int i = 0; i < requests; i++) {
                    window.acquire();
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else if (response.statusCode() != 200
                                || response.body().length != ClientLoad.EXPECTED_BODY_LENGTH) {
                            failure.compareAndSet(null, new IllegalStateException("unexpected response " + response));
                        }
                        window.release();
                        done.countDown();
                    });
                }
                done.await();
                if (failure.get() != null) {
                    throw new IllegalStateException("a request failed", failure.get());
                }
            });
        }
    }
}
