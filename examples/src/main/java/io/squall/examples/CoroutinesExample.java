package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Tornado's {@code gen.coroutine} walk-through as a program ({@code routine_main}): a simple routine,
 * routines with and without return values, and 1 s / 2 s sleeps, each awaited in turn. Prints the same
 * lines as the Python original, in the same order.
 */
public final class CoroutinesExample {
    private final PrintStream out;

    /** Creates the example printing to {@code out}. */
    public CoroutinesExample(PrintStream out) {
        this.out = out;
    }

    /** Runs {@code routine_main} to completion on a fresh loop. */
    public void run() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(this::routineMain);
        }
    }

    private Void routineMain() {
        await(routineSimple());
        await(routineUrl("url0", 1));
        out.println(await(routineSimpleReturn()));
        out.println(await(routineUrlWithReturn("url1", 1)));
        out.println(await(routineUrlWithReturn("url2", 2)));
        return null;
    }

    private Future<Void> routineSimple() {
        return spawn(() -> out.println("it is simple routine"));
    }

    private Future<String> routineSimpleReturn() {
        return spawn(() -> {
            out.println("it is simple routine with return");
            return "value from routine_simple_return";
        });
    }

    private Future<Void> routineUrl(String url, int wait) {
        return spawn(() -> {
            await(sleep(Duration.ofSeconds(wait)));
            out.println("routine_ur " + url + " took " + wait + "s to get!");
        });
    }

    private Future<PyTuple> routineUrlWithReturn(String url, int wait) {
        return spawn(() -> {
            await(sleep(Duration.ofSeconds(wait)));
            out.println("routine_url_with_return " + url + " took " + wait + "s to get!");
            return new PyTuple(url, wait);
        });
    }
}
