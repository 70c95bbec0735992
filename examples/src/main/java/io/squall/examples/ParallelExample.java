package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Tornado's parallel-coroutines pattern ({@code outer_coroutine} yielding a list): three {@code get_url} coroutines sleep a random
 * 1–4 s each, started together; each prints as it finishes, then the results come back in input order
 * and the total time is the longest sleep, not the sum.
 */
public final class ParallelExample {
    private final PrintStream out;
    private final RandomGenerator random;

    /** Creates the example printing to {@code out} and drawing sleep times from {@code random}. */
    public ParallelExample(PrintStream out, RandomGenerator random) {
        this.out = out;
        this.random = random;
    }

    /** Runs {@code outer_coroutine} on a fresh loop and returns the results in input order. */
    public List<PyTuple> run() {
        try (IOLoop loop = new IOLoop()) {
            return loop.runSync(this::outerCoroutine);
        }
    }

    private List<PyTuple> outerCoroutine() {
        long before = System.nanoTime();
        List<Future<PyTuple>> coroutines = List.of("URL1", "URL2", "URL3").stream().map(this::getUrl).toList();
        List<PyTuple> result = await(multi(coroutines));
        double seconds = (System.nanoTime() - before) / 1e9;
        out.println(result);
        out.println(String.format(Locale.ROOT, "total time: %.2f seconds", seconds));
        return result;
    }

    private Future<PyTuple> getUrl(String url) {
        int waitTime = random.nextInt(1, 5);
        return spawn(() -> {
            await(sleep(Duration.ofSeconds(waitTime)));
            out.println("URL " + url + " took " + waitTime + "s to get!");
            return new PyTuple(url, waitTime);
        });
    }
}
