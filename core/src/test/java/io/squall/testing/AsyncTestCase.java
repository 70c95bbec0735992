package io.squall.testing;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.gen.Coroutines.CoroutineBody;
import io.squall.ioloop.IOLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Base class for tests of loop-driven code, like Tornado's {@code AsyncTestCase}: a fresh {@link IOLoop}
 * per test, closed afterwards, and {@link #run} to execute a test body as a coroutine on it.
 */
public abstract class AsyncTestCase {
    /** Generous bound for a whole test body; tests never rely on it being reached. */
    protected static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    /** The test's own loop. */
    protected final IOLoop loop = new IOLoop();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeLoop() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
        loop.close();
    }

    /** Closes {@code resource} after the test, before the loop (last registered, first closed). */
    protected <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Runs {@code body} as a coroutine on {@link #loop} until it finishes, rethrowing its failure. */
    protected void run(CoroutineBody body) {
        loop.runSync(() -> {
            body.run();
            return null;
        }, TEST_TIMEOUT);
    }

    /** Awaits {@code future} (inside a coroutine) and asserts that it fails with a timeout. */
    protected static OperationTimeoutException assertTimesOut(Future<?> future) {
        return assertThrows(OperationTimeoutException.class, () -> await(future));
    }

    /** Asserts that {@code future} has already failed with a timeout, without waiting. */
    protected static void assertTimedOut(Future<?> future) {
        assertThrows(OperationTimeoutException.class, future::result);
    }

    /** Milliseconds as a {@link Duration}. */
    protected static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
