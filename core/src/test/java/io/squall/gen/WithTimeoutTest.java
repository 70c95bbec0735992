package io.squall.gen;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.ioloop.IOLoop;
import io.squall.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** withTimeout (gen_test item 8). */
class WithTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void expiryFailsWithOperationTimeout() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                long start = loop.time();
                assertThrows(OperationTimeoutException.class, () -> await(withTimeout(SHORT, new Future<>())));
                assertTrue(loop.time() - start >= SHORT.toNanos(), "not before the timeout");
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void resultWhenTheFutureFinishesFirst() {
        try (IOLoop loop = new IOLoop()) {
            assertEquals("in time", loop.runSync(() -> {
                Future<String> inner = new Future<>();
                loop.callLater(Duration.ofMillis(5), () -> inner.setResult("in time"));
                return await(withTimeout(TIMEOUT, inner));
            }, TIMEOUT));
        }
    }

    @Test
    void exceptionWhenTheFutureFailsFirst() {
        IllegalStateException boom = new IllegalStateException("failed in time");
        try (IOLoop loop = new IOLoop()) {
            assertSame(boom, loop.runSync(() -> {
                Future<String> inner = new Future<>();
                loop.callLater(Duration.ofMillis(5), () -> inner.setException(boom));
                return assertThrows(IllegalStateException.class, () -> await(withTimeout(TIMEOUT, inner)));
            }, TIMEOUT));
        }
    }

    /** A future that is already done comes back at once, even with a zero timeout, and needs no loop. */
    @Test
    void aDoneFutureIsReturnedAtOnce() {
        Future<Integer> done = Future.completed(5);
        Future<Integer> result = withTimeout(Duration.ZERO, done);
        assertTrue(result.isDone());
        assertEquals(5, result.result());
        Future<Integer> failed = Future.failed(new IllegalStateException("already failed"));
        assertTrue(withTimeout(Duration.ZERO, failed).isFailed());
    }

    @Test
    void theInnerFutureIsNotCancelled() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                Future<String> inner = new Future<>();
                assertThrows(OperationTimeoutException.class, () -> await(withTimeout(SHORT, inner)));
                assertFalse(inner.isDone());
                inner.setResult("completes later"); // would throw if it had been cancelled
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void lateFailureIsLoggedUnlessQuiet() {
        try (LogCapture log = LogCapture.of(Coroutines.class); IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                Future<String> loud = new Future<>();
                Future<String> quiet = new Future<>();
                Future<String> succeeds = new Future<>();
                assertThrows(OperationTimeoutException.class, () -> await(withTimeout(SHORT, loud)));
                assertThrows(OperationTimeoutException.class,
                        () -> await(withTimeout(SHORT, quiet, Set.of(IOException.class))));
                assertThrows(OperationTimeoutException.class, () -> await(withTimeout(SHORT, succeeds)));
                loud.setException(new IllegalStateException("late and loud"));
                quiet.setException(new IOException("late and quiet"));
                succeeds.setResult("late success");
                return null;
            }, TIMEOUT);
            assertEquals(1, log.count(Level.ERROR, "after timeout"), () -> "logged: " + log.events());
            assertEquals("late and loud", LogCapture.thrownMessage(log.matching(Level.ERROR, "after timeout").getFirst()));
        }
    }

    @Test
    void worksWithAFutureCompletedOnAnotherThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                assertEquals("pool", await(withTimeout(TIMEOUT, loop.runInExecutor(null, () -> "pool"))));
                Future<String> blocked = loop.runInExecutor(null, () -> {
                    release.await(10, TimeUnit.SECONDS);
                    return "released";
                });
                assertThrows(OperationTimeoutException.class, () -> await(withTimeout(SHORT, blocked)));
                release.countDown();
                assertEquals("released", await(blocked));

                Future<String> fromThread = new Future<>();
                Thread.ofPlatform().start(() -> fromThread.setResult("plain thread"));
                assertEquals("plain thread", await(withTimeout(TIMEOUT, fromThread)));
                return null;
            }, TIMEOUT);
        } finally {
            release.countDown();
        }
    }
}
