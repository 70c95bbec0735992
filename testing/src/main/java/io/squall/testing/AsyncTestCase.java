package io.squall.testing;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.gen.Coroutines.CoroutineBody;
import io.squall.ioloop.IOLoop;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * Base class for tests of loop-driven code, like Tornado's {@code AsyncTestCase}: a fresh {@link IOLoop}
 * per test (a {@link TestLoop}), closed afterwards, and {@link #run} to execute a test body as a coroutine
 * on it. {@link SquallTest} does the same without a base class, running whole test methods as coroutines.
 */
public abstract class AsyncTestCase {
    /** Generous bound for a whole test body; tests never rely on it being reached. */
    protected static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    private final TestLoop testLoop = new TestLoop();

    /** The test's own loop. */
    protected final IOLoop loop = testLoop.loop();

    @AfterEach
    void closeLoop() throws Exception {
        testLoop.close();
    }

    /** Closes {@code resource} after the test, before the loop (last registered, first closed). */
    protected <T extends AutoCloseable> T closeLater(T resource) {
        return testLoop.closeLater(resource);
    }

    /**
     * Runs {@code body} as a coroutine on {@link #loop} until it finishes, rethrowing its failure; fails
     * the test if it takes longer than {@link #TEST_TIMEOUT}.
     */
    protected void run(CoroutineBody body) {
        testLoop.run(body, TEST_TIMEOUT);
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
