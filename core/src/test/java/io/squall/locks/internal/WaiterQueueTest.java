package io.squall.locks.internal;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.testing.AsyncTestCase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waiter machinery shared by the locks and queues. */
class WaiterQueueTest extends AsyncTestCase {
    private final WaiterQueue<Future<String>> waiters = new WaiterQueue<>(WaiterQueue.failWithTimeout("Thing.op"));

    @Test
    void pollReturnsPendingWaitersInFifoOrderSkippingDoneOnes() {
        Future<String> a = waiters.add(new Future<>());
        Future<String> b = waiters.add(new Future<>());
        Future<String> c = waiters.add(new Future<>());
        Future<String> d = waiters.add(new Future<>());
        a.cancel();
        c.setResult("done elsewhere");
        assertTrue(waiters.hasPending());
        assertEquals(List.of(b, d), waiters.poll(5));
        assertNull(waiters.poll());
        assertFalse(waiters.hasPending());
        assertEquals(0, waiters.size());
    }

    @Test
    void zeroOrNegativeTimeoutExpiresAtOnceWithoutQueueing() {
        Future<String> zero = waiters.add(new Future<>(), Duration.ZERO);
        Future<String> negative = waiters.add(new Future<>(), Duration.ofSeconds(-1));
        var e = assertThrows(OperationTimeoutException.class, zero::result);
        assertEquals("Thing.op timed out after 0 ms", e.getMessage());
        assertTrue(negative.isFailed());
        assertEquals(0, waiters.size());
    }

    @Test
    void nullTimeoutMeansNoDeadline() {
        run(() -> {
            Future<String> w = waiters.add(new Future<>(), null);
            await(sleep(ms(20)));
            assertFalse(w.isDone());
        });
    }

    @Test
    void timeoutExpiresThePendingWaiterAndCompletionWins() {
        run(() -> {
            Future<String> expires = waiters.add(new Future<>(), ms(10));
            Future<String> completed = waiters.add(new Future<>(), ms(10));
            completed.setResult("first");
            var e = assertTimesOut(expires);
            assertEquals("Thing.op timed out after 10 ms", e.getMessage());
            await(sleep(ms(20)));
            assertEquals("first", completed.result());
        });
    }

    @Test
    void doneWaitersAtTheHeadAreDroppedWhenAnotherIsAdded() {
        Future<String> a = waiters.add(new Future<>());
        waiters.add(new Future<>());
        a.cancel();
        waiters.add(new Future<>());
        assertEquals(2, waiters.size());
    }

    @Test
    void timeoutsBeyondTheThresholdSweepDoneWaitersFromTheMiddle() {
        run(() -> {
            Future<String> head = waiters.add(new Future<>());
            for (int i = 0; i < WaiterQueue.SWEEP_AFTER_TIMEOUTS; i++) {
                waiters.add(new Future<>(), ms(10));
            }
            await(sleep(ms(20)));
            // exactly the threshold: no sweep yet, and the live head keeps the timed-out ones queued
            assertEquals(WaiterQueue.SWEEP_AFTER_TIMEOUTS + 1, waiters.size());
            waiters.add(new Future<>(), ms(10));
            await(sleep(ms(20)));
            assertEquals(1, waiters.size());
            assertSame(head, waiters.poll());
        });
    }
}
