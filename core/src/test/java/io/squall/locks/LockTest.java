package io.squall.locks;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ports Tornado's locks_test LockTests. */
class LockTest extends AsyncTestCase {
    @Test
    void toStringShowsTheState() {
        Lock lock = new Lock();
        assertEquals("Lock[unlocked]", lock.toString());
        lock.acquire();
        assertEquals("Lock[locked]", lock.toString());
        lock.acquire();
        assertEquals("Lock[locked,waiters=1]", lock.toString());
    }

    @Test
    void acquireAndRelease() {
        Lock lock = new Lock();
        assertTrue(lock.acquire().isDone());
        assertTrue(lock.isLocked());
        Future<Permit> future = lock.acquire();
        assertFalse(future.isDone());
        lock.release();
        assertTrue(future.isDone());
        assertTrue(lock.isLocked(), "handed to the waiter");
    }

    @Test
    void acquisitionIsFifo() {
        run(() -> {
            Lock lock = new Lock();
            assertTrue(lock.acquire().isDone());
            List<Integer> history = new ArrayList<>();
            List<Future<Void>> futures = IntStream.range(0, 5).mapToObj(i -> spawn(() -> {
                try (var _ = await(lock.acquire())) {
                    history.add(i);
                }
            })).toList();
            await(moment()); // all five are now queued on the lock
            assertTrue(futures.stream().noneMatch(Future::isDone));
            lock.release();
            await(multi(futures));
            assertEquals(List.of(0, 1, 2, 3, 4), history);
            assertFalse(lock.isLocked());
        });
    }

    @Test
    void acquireTimesOutAndTheLockStaysLocked() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            assertTimesOut(lock.acquire(ms(10)));
            assertFalse(lock.acquire().isDone(), "still locked");
        });
    }

    @Test
    void zeroTimeoutSucceedsWhenFreeAndFailsAtOnceWhenHeld() {
        Lock lock = new Lock();
        assertTrue(lock.acquire(Duration.ZERO).isDone());
        assertTimedOut(lock.acquire(Duration.ZERO));
        assertEquals("Lock[locked]", lock.toString(), "the failed acquire did not queue");
    }

    @Test
    void releasingAnUnlockedLockFails() {
        Lock lock = new Lock();
        assertThrows(IllegalStateException.class, lock::release);
        lock.acquire();
        lock.release();
        var e = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(e.getMessage().contains("unlocked Lock"));
    }

    @Test
    void permitReleasesTheLockEvenWhenTheBlockThrows() {
        run(() -> {
            Lock lock = new Lock();
            assertThrows(IllegalStateException.class, () -> {
                try (var _ = await(lock.acquire())) {
                    assertTrue(lock.isLocked());
                    throw new IllegalStateException("boom");
                }
            });
            assertFalse(lock.isLocked());
        });
    }

    @Test
    void closingAPermitAfterAnExplicitReleaseReportsTheUnlockedLock() {
        Lock lock = new Lock();
        Permit permit = lock.acquire().result();
        lock.release();
        var e = assertThrows(IllegalStateException.class, permit::close);
        assertTrue(e.getMessage().contains("unlocked Lock"));
        permit.close(); // already closed: a no-op
    }

    @Test
    void cancellingACoroutineWaitingForTheLockDoesNotLeakIt() {
        run(() -> {
            Lock lock = new Lock();
            assertTrue(lock.acquire().isDone());
            Future<Void> waiter = spawn(() -> {
                try (var _ = await(lock.acquire())) {
                    fail("a cancelled coroutine must not get the lock");
                }
            });
            await(moment()); // the coroutine is now queued on the lock
            assertTrue(waiter.cancel());
            assertThrows(java.util.concurrent.CancellationException.class, () -> await(waiter));
            lock.release();
            assertFalse(lock.isLocked(), "the cancelled waiter was skipped");
            assertTrue(lock.acquire().isDone());
        });
    }
}
