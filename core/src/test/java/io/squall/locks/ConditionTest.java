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

/** Ports Tornado's locks_test ConditionTest. */
class ConditionTest extends AsyncTestCase {
    private final List<Object> history = new ArrayList<>();

    /** Records {@code key} when the wait resolves true, "timeout" when it resolves false. */
    private void recordDone(Future<Boolean> wait, Object key) {
        wait.addDoneCallback(f -> history.add(f.result() ? key : "timeout"));
    }

    @Test
    void toStringShowsWaitersOnlyWhenThereAreSome() {
        Condition c = new Condition();
        assertTrue(c.toString().contains("Condition"));
        assertFalse(c.toString().contains("waiters"));
        c.waitFor();
        assertTrue(c.toString().contains("waiters=1"));
    }

    @Test
    void signalWakesAWaitingCoroutine() {
        run(() -> {
            Condition c = new Condition();
            loop.callLater(ms(10), c::signal);
            assertTrue(await(c.waitFor()));
        });
    }

    @Test
    void signalWakesOneWaiterAtATime() {
        run(() -> {
            Condition c = new Condition();
            recordDone(c.waitFor(), "wait1");
            recordDone(c.waitFor(), "wait2");
            c.signal(1);
            await(moment());
            history.add("notify1");
            c.signal(1);
            await(moment());
            history.add("notify2");
            assertEquals(List.of("wait1", "notify1", "wait2", "notify2"), history);
        });
    }

    @Test
    void signalNWakesTheFirstNInFifoOrder() {
        run(() -> {
            Condition c = new Condition();
            for (int i = 0; i < 6; i++) {
                recordDone(c.waitFor(), i);
            }
            c.signal(3);
            await(moment());
            assertEquals(List.of(0, 1, 2), history);
            c.signal(1);
            await(moment());
            assertEquals(List.of(0, 1, 2, 3), history);
            c.signal(2);
            await(moment());
            assertEquals(List.of(0, 1, 2, 3, 4, 5), history);
        });
    }

    @Test
    void signalNWakesCoroutinesInTheOrderTheyWaited() {
        run(() -> {
            Condition c = new Condition();
            List<Integer> woken = new ArrayList<>();
            List<Future<Void>> waiters = IntStream.range(0, 5).mapToObj(i -> spawn(() -> {
                await(c.waitFor());
                woken.add(i);
            })).toList();
            await(moment()); // every waiter has started and is waiting
            assertEquals(5, c.waiterCount());
            c.signal(2);
            await(moment());
            assertEquals(List.of(0, 1), woken);
            c.signal(3);
            await(multi(waiters));
            assertEquals(List.of(0, 1, 2, 3, 4), woken);
        });
    }

    @Test
    void signalAllWakesEveryWaiter() {
        run(() -> {
            Condition c = new Condition();
            for (int i = 0; i < 4; i++) {
                recordDone(c.waitFor(), i);
            }
            c.signalAll();
            await(moment());
            history.add("notify_all");
            assertEquals(List.of(0, 1, 2, 3, "notify_all"), history);
        });
    }

    @Test
    void signalWithoutWaitersIsANoOpAndNegativeCountIsRejected() {
        Condition c = new Condition();
        c.signal();
        c.signalAll();
        Future<Boolean> later = c.waitFor();
        assertFalse(later.isDone(), "a signal before the wait is not remembered");
        assertThrows(IllegalArgumentException.class, () -> c.signal(-1));
    }

    @Test
    void timedOutWaitResolvesFalseWithoutRaising() {
        run(() -> {
            Condition c = new Condition();
            Future<Boolean> wait = c.waitFor(ms(10));
            loop.callLater(ms(20), c::signal); // too late
            await(sleep(ms(30)));
            assertFalse(await(wait));
        });
    }

    @Test
    void signalBeforeTheDeadlinePreemptsTheTimeout() {
        run(() -> {
            Condition c = new Condition();
            loop.callLater(ms(10), c::signal);
            Future<Boolean> wait = c.waitFor(ms(20));
            await(sleep(ms(30)));
            assertTrue(await(wait));
        });
    }

    @Test
    void zeroTimeoutResolvesFalseAtOnceWithoutQueueing() {
        Condition c = new Condition();
        Future<Boolean> wait = c.waitFor(Duration.ZERO);
        assertTrue(wait.isDone());
        assertFalse(wait.result());
        assertFalse(c.waitFor(Duration.ofMillis(-5)).result(), "a negative timeout behaves like zero");
        assertEquals(0, c.waiterCount());
    }

    @Test
    void timedOutWaitersDoNotUseUpSignalSlots() {
        run(() -> {
            Condition c = new Condition();
            recordDone(c.waitFor(), 0);
            recordDone(c.waitFor(ms(10)), 1);
            recordDone(c.waitFor(), 2);
            recordDone(c.waitFor(), 3);
            await(sleep(ms(20))); // waiter 1 times out
            assertEquals(List.of("timeout"), history);
            c.signal(2);
            await(sleep(ms(10)));
            assertEquals(List.of("timeout", 0, 2), history);
            c.signal();
            await(moment());
            assertEquals(List.of("timeout", 0, 2, 3), history);
        });
    }

    @Test
    void signalAllSkipsTimedOutWaiters() {
        run(() -> {
            Condition c = new Condition();
            recordDone(c.waitFor(), 0);
            recordDone(c.waitFor(ms(10)), 1);
            recordDone(c.waitFor(), 2);
            await(sleep(ms(20)));
            assertEquals(List.of("timeout"), history);
            c.signalAll();
            await(moment());
            assertEquals(List.of("timeout", 0, 2), history);
        });
    }

    @Test
    void reentrantSignalIsNotLost() {
        run(() -> {
            Condition c = new Condition();
            List<Future<Boolean>> waits = List.of(c.waitFor(), c.waitFor(), c.waitFor());
            // The second wakes and, from its callback, signals again: that must reach the third.
            waits.get(1).addDoneCallback(f -> c.signal());
            c.signal(2);
            await(moment());
            assertTrue(waits.stream().allMatch(Future::isDone));
        });
    }

    @Test
    void cancelledWaitersAreSkipped() {
        Condition c = new Condition();
        Future<Boolean> cancelled = c.waitFor();
        Future<Boolean> live = c.waitFor();
        cancelled.cancel();
        c.signal();
        assertTrue(live.isDone());
        assertTrue(live.result());
    }

    @Test
    void timedOutWaitersAreSweptAfterMoreThanAHundredTimeouts() {
        run(() -> {
            Condition c = new Condition();
            for (int i = 0; i < 101; i++) {
                c.waitFor(ms(10));
            }
            Future<Boolean> future = c.waitFor();
            assertEquals(102, c.waiterCount());
            await(sleep(ms(20))); // the first 101 time out, triggering a sweep
            assertEquals(1, c.waiterCount());
            assertFalse(future.isDone()); // the last waiter is still live
            c.signal();
            assertTrue(future.isDone());
        });
    }
}
