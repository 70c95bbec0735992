package io.squall.bench.httpclient;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.spawn;

import io.squall.concurrent.Future;
import io.squall.httpclient.AsyncHttpClient;
import io.squall.httpclient.HttpClientOptions;
import io.squall.httpclient.HttpRequest;
import io.squall.httpclient.HttpResponse;
import io.squall.ioloop.IOLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * Squall's side of the HTTP client comparison, written as a user would: one loop, an
 * {@link AsyncHttpClient} with {@code maxClients} = WINDOW (keep-alive pooling on, every other option
 * default), and WINDOW coroutines that each fetch in turn until the batch is done. Arguments and output:
 * {@link ClientLoad}.
 */
public final class SquallClientLoad {
    private SquallClientLoad() {}

    /** Runs the load; see {@link ClientLoad} for the arguments. */
    public static void main(String[] args) throws Exception {
        ClientLoad load = ClientLoad.parse(args);
        HttpRequest request = HttpRequest.get(load.url().toString());
        try (IOLoop loop = new IOLoop();
             AsyncHttpClient client = AsyncHttpClient.create(loop,
                     HttpClientOptions.builder().maxClients(load.window()).build())) {
            load.warmUpThenMeasure(requests -> loop.runSync(() -> {
                int[] left = {requests};
                List<Future<Void>> workers = new ArrayList<>();
                for (int i = 0; i < load.window(); i++) {
                    workers.add(spawn(() -> {
                        while (left[0] > 0) {
                            left[0]--;
                            HttpResponse response = await(client.fetch(request)); // fails on a status outside 2xx
                            if (response.body().length != ClientLoad.EXPECTED_BODY_LENGTH) {
                                throw new IllegalStateException("unexpected response " + response);
                            }
                        }
                    }));
                }
                return await(multi(workers));
            }));
        }
    }
}
