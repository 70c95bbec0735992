package io.squall.testing;

import io.squall.concurrent.OperationTimeoutException;
import io.squall.gen.Coroutines.CoroutineBody;
import io.squall.ioloop.IOLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * One test's {@link IOLoop} with the resources to release after it: what both {@link SquallExtension} and
 * {@link AsyncTestCase} give each test. {@link #run} executes a test body as a coroutine on the loop with
 * a time limit; {@link #close} closes the registered resources (last registered first), then the loop and
 * the channels still registered on it.
 */
public final class TestLoop implements AutoCloseable {
    private final IOLoop loop = new IOLoop();
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** The loop. */
    public IOLoop loop() {
        return loop;
    }

    /** Closes {@code resource} when this is closed, before the loop (last registered, first closed). */
    public <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * Runs {@code body} as a coroutine on the loop until it finishes, rethrowing its failure (checked
     * exceptions wrapped as {@link IOLoop#runSync(java.util.concurrent.Callable)} does); fails the test with
     * a message naming {@code timeout} when the body has not finished by then (it is cancelled).
     */
    public void run(CoroutineBody body, Duration timeout) {
        long start = System.nanoTime();
        try {
            loop.runSync(() -> {
                body.run();
                return null;
            }, timeout);
        } catch (OperationTimeoutException e) {
            if (System.nanoTime() - start < timeout.toNanos()) {
                throw e; // the body's own timeout, not the test's
            }
            Assertions.fail("the test coroutine did not finish within " + timeout.toMillis()
                    + " ms and was cancelled (a Future never completed? Raise the limit if it really needs longer)", e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            for (AutoCloseable resource : resources.reversed()) {
                resource.close();
            }
        } finally {
            resources.clear();
            loop.close(true);
        }
    }
}
