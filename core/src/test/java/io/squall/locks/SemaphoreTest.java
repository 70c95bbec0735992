package io.squall.locks;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.testing.AsyncTestCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ports Tornado's locks_test SemaphoreTest, SemaphoreContextManagerTest and BoundedSemaphoreTest. */
class SemaphoreTest extends AsyncTestCase {
    @Test
    void negativeInitialValueIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(e.getMessage().contains("-1"));
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @Test
    void toStringShowsValueAndWaiters() {
        Semaphore sem = new Semaphore(1);
        assertTrue(sem.toString().contains("Semaphore"));
        assertTrue(sem.toString().contains("unlocked,value=1"));
        sem.acquire();
        assertTrue(sem.toString().contains("locked"));
        assertFalse(sem.toString().contains("waiters"));
        sem.acquire();
        assertTrue(sem.toString().contains("waiters=1"));
    }

    @Test
    void acquireIsSynchronousWhileAPermitIsFreeAndWaitersAreFifo() {
        Semaphore sem = new Semaphore(1);
        assertTrue(sem.acquire().isDone());
        Future<Permit> f1 = sem.acquire();
        assertFalse(f1.isDone());
        Future<Permit> f2 = sem.acquire();
        sem.release();
        assertTrue(f1.isDone());
        assertFalse(f2.isDone());
        sem.release();
        assertTrue(f2.isDone());
        sem.release();
        assertTrue(sem.acquire().isDone()); // instant again
        assertEquals(0, sem.waiterCount());
    }

    @Test
    void acquireTimesOutAndALateReleaseGoesToTheCounter() {
        run(() -> {
            Semaphore sem = new Semaphore(2);
            await(sem.acquire());
            await(sem.acquire());
            Future<Permit> acquire = sem.acquire(ms(10));
            loop.callLater(ms(20), sem::release); // too late
            await(sleep(ms(50)));
            assertTimesOut(acquire);
            assertTrue(sem.acquire().isDone()); // takes the late release
            Future<Permit> f = sem.acquire();
            assertFalse(f.isDone());
            sem.release();
            assertTrue(f.isDone());
        });
    }

    @Test
    void releaseBeforeTheDeadlinePreemptsTheTimeout() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            await(sem.acquire());
            loop.callLater(ms(10), sem::release);
            Future<Permit> acquire = sem.acquire(ms(20));
            await(sleep(ms(30)));
            assertNotNull(await(acquire)); // no timeout
        });
    }

    @Test
    void zeroTimeoutSucceedsWhenFreeAndFailsAtOnceOtherwise() {
        Semaphore sem = new Semaphore(1);
        assertTrue(sem.acquire(Duration.ZERO).isDone());
        assertTimedOut(sem.acquire(Duration.ZERO));
        assertEquals(0, sem.waiterCount());
        sem.release();
        assertTrue(sem.acquire().isDone(), "the failed zero-timeout acquire took no permit");
    }

    @Test
    void extraReleasesIncrementTheCounter() {
        Semaphore sem = new Semaphore(1);
        sem.release();
        sem.release();
        assertTrue(sem.acquire().isDone());
        assertTrue(sem.acquire().isDone());
        assertTrue(sem.acquire().isDone());
        assertFalse(sem.acquire().isDone());
    }

    @Test
    void cancelledWaitersAreSkippedByRelease() {
        Semaphore sem = new Semaphore(0);
        Future<Permit> abandoned = sem.acquire();
        Future<Permit> next = sem.acquire();
        abandoned.cancel();
        sem.release();
        assertTrue(next.isDone());
        assertFalse(next.isFailed());
    }

    @Test
    void timedOutWaitersAreSweptAfterMoreThanAHundredTimeouts() {
        run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Future<Permit>> timed = IntStream.range(0, 101).mapToObj(i -> sem.acquire(ms(10))).toList();
            Future<Permit> future = sem.acquire();
            assertEquals(102, sem.waiterCount());
            await(sleep(ms(20)));
            assertEquals(1, sem.waiterCount());
            assertFalse(future.isDone());
            sem.release();
            assertTrue(future.isDone());
            timed.forEach(AsyncTestCase::assertTimedOut);
        });
    }

    // ---------------------------------------------------------------- Permit (Tornado's context manager)

    @Test
    void closingThePermitReleases() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            try (Permit permit = await(sem.acquire())) {
                assertFalse(permit.isClosed());
                assertTimedOut(sem.acquire(Duration.ZERO)); // held
            }
            assertTrue(sem.acquire().isDone(), "released and acquirable again");
        });
    }

    @Test
    void permitIsReleasedWhenTheBlockThrows() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            var e = assertThrows(IllegalStateException.class, () -> {
                try (var _ = await(sem.acquire())) {
                    throw new IllegalStateException("boom");
                }
            });
            assertEquals("boom", e.getMessage());
            assertTrue(sem.acquire().isDone());
        });
    }

    @Test
    void permitFromATimedAcquireReleasesToo() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            try (var _ = await(sem.acquire(ms(10)))) {
                assertEquals(0, sem.value());
            }
            assertTrue(sem.acquire().isDone());
        });
    }

    @Test
    void timedOutAcquireInTryWithResourcesLeavesTheCounterAlone() {
        run(() -> {
            Semaphore sem = new Semaphore(0);
            assertThrows(OperationTimeoutException.class, () -> {
                try (var _ = await(sem.acquire(ms(10)))) {
                    fail("the body must not run");
                }
            });
            assertFalse(sem.acquire().isDone(), "counter is still 0");
        });
    }

    @Test
    void closingAPermitTwiceReleasesOnce() {
        Semaphore sem = new Semaphore(1);
        Permit permit = sem.acquire().result();
        permit.close();
        permit.close();
        assertTrue(permit.isClosed());
        assertEquals(1, sem.value());
    }

    @Test
    void contendedPermitsAreHeldOneAtATime() {
        run(() -> {
            Semaphore sem = new Semaphore(1);
            List<String> history = new ArrayList<>();
            List<Future<Void>> workers = IntStream.range(0, 2).mapToObj(i -> spawn(() -> {
                try (var _ = await(sem.acquire())) {
                    history.add("acquired " + i);
                    await(sleep(ms(10)));
                    history.add("release " + i);
                }
            })).toList();
            await(multi(workers));
            assertEquals(List.of("acquired 0", "release 0", "acquired 1", "release 1"), history);
        });
    }

    @Test
    void semaphoreOfTwoLetsTwoWorkersIn() {
        run(() -> {
            Semaphore sem = new Semaphore(2);
            List<String> history = new ArrayList<>();
            Future<Void> gate = new Future<>();
            List<Future<Void>> workers = IntStream.range(0, 3).mapToObj(i -> spawn(() -> {
                try (var _ = await(sem.acquire())) {
                    history.add("working " + i);
                    await(gate);
                }
            })).toList();
            await(moment());
            assertEquals(List.of("working 0", "working 1"), history);
            gate.setResult(null);
            await(multi(workers));
            assertEquals(List.of("working 0", "working 1", "working 2"), history);
        });
    }

    // ---------------------------------------------------------------- BoundedSemaphore

    @Test
    void boundedSemaphoreRejectsReleasesPastTheInitialValue() {
        BoundedSemaphore sem = new BoundedSemaphore(1);
        var e = assertThrows(IllegalStateException.class, sem::release);
        assertEquals("Semaphore released too many times", e.getMessage());
        sem.acquire(); // value is 0
        Future<Permit> future = sem.acquire();
        assertFalse(future.isDone());
        sem.release();
        assertTrue(future.isDone());
        sem.release(); // value is 1
        assertThrows(IllegalStateException.class, sem::release);
    }

    @Test
    void boundedPermitClosedTwiceDoesNotOverRelease() {
        BoundedSemaphore sem = new BoundedSemaphore(1);
        Permit permit = sem.acquire().result();
        permit.close();
        permit.close();
        assertEquals(1, sem.value());
    }
}
