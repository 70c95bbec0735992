package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.spawn;

import io.squall.concurrent.Future;
import io.squall.httpclient.AsyncHttpClient;
import io.squall.httpclient.HttpClientOptions;
import io.squall.httpclient.HttpRequest;
import io.squall.httpclient.HttpResponse;
import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import java.io.PrintStream;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./squall example fetch [URL...]}: fetches every URL at once with {@link AsyncHttpClient} (one
 * coroutine, {@code multi} of the fetches, any status accepted) and prints one aligned line per URL, in
 * the order given: {@code code  size  time  url}, or for a fetch that failed {@code ERR  -  time  url}
 * followed by the exception's simple class name and message. A last line gives the wall time of the
 * whole batch, which is about the slowest fetch, not the sum.
 *
 * <p>Without a URL it starts {@link DemoApp} on a free port of this process and fetches its one-second
 * {@code /sleep} three times: three 200 lines, about one second in total.
 */
public final class FetchExample {
    private static final int DEMO_FETCHES = 3;

    private final PrintStream out;

    /** Creates the example printing to {@code out}. */
    public FetchExample(PrintStream out) {
        this.out = out;
    }

    /** What one fetch gave: a response, or the exception that ended it, and its time in seconds. */
    private record Outcome(String url, HttpResponse response, RuntimeException error, double seconds) {}

    /**
     * Fetches {@code urls} (the demo's {@code /sleep} three times if empty) on a fresh loop, prints the
     * lines, closes the client and the demo app, and returns the batch's wall time in seconds.
     */
    public double run(List<String> urls) {
        try (IOLoop loop = new IOLoop(); Application demo = urls.isEmpty() ? DemoApp.build() : null) {
            return loop.runSync(() -> {
                List<String> targets = urls;
                if (demo != null) {
                    int port = demo.listen(0, "127.0.0.1");
                    targets = Collections.nCopies(DEMO_FETCHES, "http://127.0.0.1:" + port + "/sleep");
                }
                HttpClientOptions options = HttpClientOptions.builder()
                        .maxClients(Math.max(HttpClientOptions.DEFAULT_MAX_CLIENTS, targets.size())).build();
                try (AsyncHttpClient client = AsyncHttpClient.create(options)) {
                    long start = System.nanoTime();
                    List<Outcome> outcomes = await(multi(targets.stream().map(url -> fetch(client, url)).toList()));
                    double total = (System.nanoTime() - start) / 1e9;
                    print(outcomes);
                    out.println(String.format(Locale.ROOT, "total: %.2f s", total));
                    return total;
                }
            });
        }
    }

    /** One fetch in its own coroutine, which never fails: an error becomes the outcome. */
    private static Future<Outcome> fetch(AsyncHttpClient client, String url) {
        return spawn(() -> {
            long start = System.nanoTime();
            try {
                HttpResponse response = await(client.fetch(HttpRequest.get(url), false));
                return new Outcome(url, response, null, (System.nanoTime() - start) / 1e9);
            } catch (RuntimeException e) {
                return new Outcome(url, null, e, (System.nanoTime() - start) / 1e9);
            }
        });
    }

    private void print(List<Outcome> outcomes) {
        List<String> sizes = outcomes.stream()
                .map(o -> o.response() == null ? "-" : Integer.toString(o.response().body().length)).toList();
        int sizeWidth = sizes.stream().mapToInt(String::length).max().orElse(1);
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            String code = o.response() == null ? "ERR" : Integer.toString(o.response().code());
            String line = String.format(Locale.ROOT, "%3s  %" + sizeWidth + "s  %5.2f s  %s", code, sizes.get(i),
                    o.seconds(), o.url());
            if (o.error() != null) {
                line += "  " + o.error().getClass().getSimpleName() + ": " + o.error().getMessage();
            }
            out.println(line);
        }
    }
}
