package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.OperationTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** IOLoop.runSync (ioloop_test item 13). */
class RunSyncTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void returnsTheValue() {
        try (IOLoop loop = new IOLoop()) {
            assertEquals("sync", loop.runSync(() -> "sync"));
            assertNull(loop.runSync(() -> null, TIMEOUT));
        }
    }

    @Test
    void rethrowsAnUncheckedExceptionAsTheSameObject() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        try (IOLoop loop = new IOLoop()) {
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> loop.runSync(() -> { throw boom; })));
            assertSame(boom, assertThrows(IllegalArgumentException.class, () -> loop.runSync(() -> {
                await(sleep(Duration.ofMillis(1)));
                throw boom;
            }, TIMEOUT)));
        }
    }

    @Test
    void wrapsACheckedExceptionInCompletionException() {
        IOException boom = new IOException("checked");
        try (IOLoop loop = new IOLoop()) {
            CompletionException thrown = assertThrows(CompletionException.class,
                    () -> loop.runSync(() -> { throw boom; }, TIMEOUT));
            assertSame(boom, thrown.getCause());
        }
    }

    @Test
    void awaitsASleep() {
        try (IOLoop loop = new IOLoop()) {
            long start = loop.time();
            assertEquals("slept", loop.runSync(() -> {
                await(sleep(Duration.ofMillis(20)));
                return "slept";
            }, TIMEOUT));
            assertTrue(loop.time() - start >= Duration.ofMillis(20).toNanos());
        }
    }

    @Test
    void currentLoopInsideIsTheLoop() {
        try (IOLoop loop = new IOLoop()) {
            assertSame(loop, loop.runSync(IOLoop::current, TIMEOUT));
        }
    }

    @Test
    void timeoutRaisesOperationTimeoutAndCancelsTheCoroutine() {
        try (IOLoop loop = new IOLoop()) {
            boolean[] finallyRan = new boolean[1];
            long start = System.nanoTime();
            OperationTimeoutException e = assertThrows(OperationTimeoutException.class, () -> loop.runSync(() -> {
                try {
                    await(sleep(Duration.ofSeconds(30)));
                    return "never";
                } finally {
                    finallyRan[0] = true;
                }
            }, Duration.ofMillis(50)));
            assertEquals("Operation timed out after 0.05 seconds", e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
            assertTrue(finallyRan[0], "the coroutine was cancelled, so its finally block ran");
        }
    }

    @Test
    void timeoutMessageGivesWholeSeconds() {
        try (IOLoop loop = new IOLoop()) {
            OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
                    () -> loop.runSync(() -> await(sleep(Duration.ofSeconds(30))), Duration.ofMillis(1000)));
            assertEquals("Operation timed out after 1 seconds", e.getMessage());
        }
    }

    @Test
    void stopInsideRaisesIllegalState() {
        try (IOLoop loop = new IOLoop()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runSync(() -> {
                IOLoop.current().stop();
                await(sleep(Duration.ofSeconds(30)));
                return "never";
            }, TIMEOUT));
            assertEquals("Event loop stopped before Future completed.", e.getMessage());
            assertEquals("usable again", loop.runSync(() -> "usable again", TIMEOUT));
        }
    }

    @Test
    void runsTwiceOnTheSameLoop() {
        try (IOLoop loop = new IOLoop()) {
            assertEquals(1, loop.runSync(() -> 1, TIMEOUT));
            assertEquals(2, loop.runSync(() -> {
                await(sleep(Duration.ofMillis(1)));
                return 2;
            }, TIMEOUT));
            assertThrows(OperationTimeoutException.class,
                    () -> loop.runSync(() -> await(sleep(Duration.ofSeconds(30))), Duration.ofMillis(10)));
            assertEquals(3, loop.runSync(() -> 3, TIMEOUT));
        }
    }

    @Test
    void runSyncInsideARunningLoopThrows() {
        try (IOLoop loop = new IOLoop()) {
            assertThrows(IllegalStateException.class, () -> loop.runSync(() -> loop.runSync(() -> 1), TIMEOUT));
        }
    }
}
