package io.squall.locks.internal;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A FIFO of pending futures with optional deadlines: the waiter machinery shared by {@code io.squall.locks.Condition},
 * {@code Event}, {@code Semaphore} and {@code io.squall.queues.Queue} (Tornado's
 * {@code _TimeoutGarbageCollector}).
 *
 * <p>A waiter is a future the primitive completes when the awaited thing happens. Added with a timeout,
 * it gets a timer on {@link IOLoop#current()} that <em>expires</em> it (completes it the way the owner
 * says, e.g. with {@code false} or an {@link OperationTimeoutException}) unless it is completed first; the
 * timer is cancelled as soon as the waiter completes. A zero or negative timeout expires the waiter at once,
 * without queueing it.
 *
 * <p>Waiters that are done (timed out or cancelled) are skipped and dropped when they reach the head, and
 * after more than {@value #SWEEP_AFTER_TIMEOUTS} timeouts every done waiter is swept from the queue, so a
 * loop of short timed waits does not grow it without bound.
 *
 * <p>Like the primitives built on it, a waiter queue belongs to one loop and is not thread-safe.
 *
 * @param <F> the type of the waiters
 */
public final class WaiterQueue<F extends Future<?>> {
    /** Timeouts after which done waiters are swept from the whole queue (Tornado's threshold). */
    public static final int SWEEP_AFTER_TIMEOUTS = 100;

    private final ArrayDeque<F> waiters = new ArrayDeque<>();
    private final BiConsumer<? super F, Duration> expire;
    private int timeoutsSinceSweep;

    /**
     * Creates an empty queue whose waiters time out through {@code expire}, which receives the waiter and
     * its timeout and must complete the waiter (it is called only while the waiter is pending).
     */
    public WaiterQueue(BiConsumer<? super F, Duration> expire) {
        this.expire = Objects.requireNonNull(expire, "expire");
    }

    /**
     * An expiry that fails the waiter with an {@link OperationTimeoutException} naming {@code operation}
     * and the timeout.
     */
    public static <F extends Future<?>> BiConsumer<F, Duration> failWithTimeout(String operation) {
        Objects.requireNonNull(operation, "operation");
        return (waiter, timeout) -> waiter.trySetException(
                new OperationTimeoutException(operation + " timed out after " + timeout.toMillis() + " ms"));
    }

    /** Queues {@code waiter} without a deadline and returns it. */
    public F add(F waiter) {
        dropDoneHead();
        waiters.addLast(Objects.requireNonNull(waiter, "waiter"));
        return waiter;
    }

    /**
     * Queues {@code waiter} with a deadline {@code timeout} from now (relative) and returns it; a zero or
     * negative timeout expires it at once instead of queueing it. A {@code null} timeout means no deadline.
     */
    public F add(F waiter, Duration timeout) {
        if (timeout == null) {
            return add(waiter);
        }
        Objects.requireNonNull(waiter, "waiter");
        if (timeout.isZero() || timeout.isNegative()) {
            expire.accept(waiter, timeout);
            return waiter;
        }
        add(waiter);
        Timeout timer = IOLoop.current().callLater(timeout, () -> {
            if (!waiter.isDone()) {
                expire.accept(waiter, timeout);
                timedOut();
            }
        });
        waiter.addDoneCallback(w -> timer.cancel());
        return waiter;
    }

    /** Removes and returns the first waiter that is still pending, dropping done ones before it; null if none. */
    public F poll() {
        dropDoneHead();
        return waiters.pollFirst();
    }

    /**
     * Removes the first {@code max} pending waiters, dropping done ones among them, and returns them in
     * FIFO order. Taking them all before completing any means a waiter's callback that adds or wakes
     * waiters cannot disturb this batch.
     */
    public List<F> poll(int max) {
        List<F> taken = new ArrayList<>(Math.min(max, waiters.size()));
        while (taken.size() < max) {
            F waiter = poll();
            if (waiter == null) {
                break;
            }
            taken.add(waiter);
        }
        return taken;
    }

    /** Whether a pending waiter is queued; done waiters at the head are dropped first. */
    public boolean hasPending() {
        dropDoneHead();
        return !waiters.isEmpty();
    }

    /** The number of queued waiters, including done ones that have not been dropped yet. */
    public int size() {
        return waiters.size();
    }

    private void dropDoneHead() {
        while (!waiters.isEmpty() && waiters.peekFirst().isDone()) {
            waiters.pollFirst();
        }
    }

    private void timedOut() {
        if (++timeoutsSinceSweep > SWEEP_AFTER_TIMEOUTS) {
            timeoutsSinceSweep = 0;
            waiters.removeIf(Future::isDone);
        }
    }

    @Override
    public String toString() {
        return "WaiterQueue[size=" + waiters.size() + "]";
    }
}
