package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** callLater / callAt / removeTimeout, the timer heap, and the loop's clock (ioloop_test items 4 and 5). */
class TimersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long MS = 1_000_000L;

    @Test
    void timersRunInDeadlineOrderAndTiesInSchedulingOrder() {
        try (IOLoop loop = new IOLoop()) {
            List<String> order = loop.runSync(() -> {
                List<String> ran = new ArrayList<>();
                Future<Void> last = new Future<>();
                long base = loop.time() + 20 * MS;
                loop.callAt(base + 4 * MS, () -> ran.add("at+4"));
                loop.callAt(base + 1 * MS, () -> ran.add("at+1"));
                loop.callAt(base + 6 * MS, () -> ran.add("tie-first"));
                loop.callAt(base + 6 * MS, () -> ran.add("tie-second"));
                loop.callAt(base + 2 * MS, () -> ran.add("at+2"));
                loop.callAt(base + 10 * MS, () -> last.setResult(null));
                await(last);
                return ran;
            }, TIMEOUT);
            assertEquals(List.of("at+1", "at+2", "at+4", "tie-first", "tie-second"), order);
        }
    }

    /** callLater and callAt share one schedule: timers run in the order of their handles' deadlines. */
    @Test
    void callLaterAndCallAtInterleaveByDeadline() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                List<Timeout> ran = new ArrayList<>();
                List<Timeout> scheduled = new ArrayList<>();
                Future<Void> allRan = new Future<>();
                long base = loop.time();
                for (int i = 0; i < 20; i++) {
                    Timeout[] self = new Timeout[1];
                    Runnable record = () -> {
                        ran.add(self[0]);
                        if (ran.size() == 20) {
                            allRan.setResult(null);
                        }
                    };
                    int delayMs = (i * 7) % 11; // a shuffled mix of delays, with repeats
                    self[0] = i % 2 == 0 ? loop.callLater(Duration.ofMillis(delayMs), record)
                            : loop.callAt(base + delayMs * MS, record);
                    scheduled.add(self[0]);
                }
                await(allRan);
                List<Timeout> byDeadline = new ArrayList<>(scheduled); // a stable sort keeps ties in order
                byDeadline.sort(Comparator.comparingLong(Timeout::deadline));
                assertEquals(byDeadline, ran);
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void handlesCarryTheirDeadlineAndTimersNeverRunEarly() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                long before = loop.time();
                Future<Long> ranAt = new Future<>();
                Timeout later = loop.callLater(Duration.ofMillis(30), () -> ranAt.setResult(loop.time()));
                long after = loop.time();
                assertNotNull(later);
                assertTrue(later.deadline() >= before + 30 * MS && later.deadline() <= after + 30 * MS);
                assertTrue(await(ranAt) >= later.deadline(), "a timer never runs before its deadline");

                long deadline = loop.time() + 5 * MS;
                Timeout at = loop.callAt(deadline, () -> {});
                assertEquals(deadline, at.deadline());
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void cancelledTimerDoesNotRun() {
        try (IOLoop loop = new IOLoop()) {
            boolean[] ran = new boolean[2];
            loop.runSync(() -> {
                Timeout viaHandle = loop.callLater(Duration.ofMillis(1), () -> ran[0] = true);
                Timeout viaLoop = loop.callLater(Duration.ofMillis(1), () -> ran[1] = true);
                viaHandle.cancel();
                loop.removeTimeout(viaLoop);
                assertTrue(viaHandle.isCancelled() && viaLoop.isCancelled());
                await(sleep(Duration.ofMillis(20)));
                return null;
            }, TIMEOUT);
            assertArrayEquals(new boolean[] {false, false}, ran);
        }
    }

    /** Item 5: removeTimeout after the timeout fired is a no-op. */
    @Test
    void removeTimeoutAfterItFiredIsANoOp() {
        try (IOLoop loop = new IOLoop()) {
            int runs = loop.runSync(() -> {
                int[] count = new int[1];
                Future<Void> fired = new Future<>();
                Timeout t = loop.callLater(Duration.ZERO, () -> {
                    count[0]++;
                    fired.setResult(null);
                });
                await(fired);
                int pending = loop.pendingTimerCount();
                loop.removeTimeout(t);
                t.cancel();
                assertEquals(pending, loop.pendingTimerCount());
                assertFalse(t.isCancelled(), "a timeout that ran was not cancelled: " + t);
                Future<Void> next = new Future<>();
                loop.callLater(Duration.ZERO, () -> next.setResult(null));
                await(next);
                return count[0];
            }, TIMEOUT);
            assertEquals(1, runs);
        }
    }

    /** Item 5: a timeout removed by another timeout that fires in the same iteration does not run. */
    @Test
    void timeoutRemovedByAnotherDueInTheSameIterationDoesNotRun() {
        try (IOLoop loop = new IOLoop()) {
            List<String> ran = loop.runSync(() -> {
                List<String> calls = new ArrayList<>();
                Future<Void> done = new Future<>();
                long now = loop.time();
                // Both deadlines are already past, so both are due in the loop's next timer pass.
                Timeout[] second = new Timeout[1];
                loop.callAt(now - 2 * MS, () -> {
                    calls.add("first");
                    loop.removeTimeout(second[0]);
                });
                second[0] = loop.callAt(now - 1 * MS, () -> calls.add("second"));
                loop.callAt(now, () -> done.setResult(null));
                await(done);
                return calls;
            }, TIMEOUT);
            assertEquals(List.of("first"), ran);
        }
    }

    /** Cancelled timers stay in the heap (cancel is O(1)) until they reach its top. */
    @Test
    void fewCancelledTimersAreDroppedLazilyFromTheTop() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                List<Timeout> timers = new ArrayList<>();
                for (int i = 0; i < 1000; i++) { // due before runSync's own timeout timer, so at the top of the heap
                    timers.add(loop.callLater(Duration.ofSeconds(5).plusNanos(i), () -> {}));
                }
                int scheduled = loop.pendingTimerCount();
                timers.subList(900, 1000).forEach(Timeout::cancel); // the latest: deep in the heap
                assertEquals(scheduled, loop.pendingTimerCount(), "cancel does not touch the heap");
                timers.subList(0, 100).forEach(Timeout::cancel);    // the earliest: at the top
                await(moment());
                assertEquals(scheduled - 100, loop.pendingTimerCount(), "cancelled timers at the top were dropped");
                timers.forEach(Timeout::cancel);
                return null;
            }, TIMEOUT);
        }
    }

    /** When cancelled timers dominate the heap (more than 512 and more than half), the heap is rebuilt. */
    @Test
    void heapIsCompactedWhenCancelledTimersDominate() {
        try (IOLoop loop = new IOLoop()) {
            int survivorsRan = loop.runSync(() -> {
                int before = loop.pendingTimerCount();
                List<Timeout> doomed = new ArrayList<>();
                for (int i = 0; i < 600; i++) {
                    doomed.add(loop.callLater(Duration.ofHours(1), () -> fail("cancelled timer ran")));
                }
                int[] ran = new int[1];
                Future<Void> allRan = new Future<>();
                for (int i = 0; i < 400; i++) {
                    loop.callLater(Duration.ofMillis(1 + i % 10), () -> {
                        if (++ran[0] == 400) {
                            allRan.setResult(null);
                        }
                    });
                }
                assertEquals(before + 1000, loop.pendingTimerCount());
                doomed.forEach(Timeout::cancel);
                int after = loop.pendingTimerCount();
                assertTrue(after <= before + 1000 - 513, "cancelled entries were purged: " + after + " timers left");
                assertTrue(after >= before + 400, "live timers were kept: " + after);
                await(allRan);
                return ran[0];
            }, TIMEOUT);
            assertEquals(400, survivorsRan);
        }
    }

    @Test
    void timeIsMonotonicAndAdvances() {
        try (IOLoop loop = new IOLoop()) {
            long previous = loop.time();
            for (int i = 0; i < 100_000; i++) {
                long now = loop.time();
                assertTrue(now >= previous, "time went backwards");
                previous = now;
            }
            long elapsed = loop.runSync(() -> {
                long start = loop.time();
                await(sleep(Duration.ofMillis(15)));
                return loop.time() - start;
            }, TIMEOUT);
            assertTrue(elapsed >= 15 * MS, "sleep(15 ms) took " + elapsed + " ns on the loop clock");
        }
    }

    @Test
    void zeroSleepCompletesOnTheNextTimerPass() {
        try (IOLoop loop = new IOLoop()) {
            assertEquals("after sleep(0)", loop.runSync(() -> {
                await(sleep(Duration.ZERO));
                return "after sleep(0)";
            }, TIMEOUT));
        }
    }
}
