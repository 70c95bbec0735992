package io.squall.locks;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.locks.internal.WaiterQueue;
import java.time.Duration;
import java.util.Objects;

/**
 * A flag coroutines can wait on until it is set (Tornado's {@code Event}, like
 * {@link java.util.concurrent.CountDownLatch} but resettable).
 *
 * <p>While the flag is set, {@link #waitFor()} returns a done future; after {@link #clear()} it blocks
 * again until the next {@link #set()}, which wakes every waiter, including those that started waiting
 * before the clear. Not thread-safe: use it from the callbacks and coroutines of one loop.
 */
public final class Event {
    private final WaiterQueue<Future<Void>> waiters = new WaiterQueue<>(WaiterQueue.failWithTimeout("Event.waitFor"));
    private boolean value;

    /** Creates an event whose flag is clear. */
    public Event() {}

    /** Whether the flag is set. */
    public boolean isSet() {
        return value;
    }

    /** Sets the flag and wakes every waiter; a no-op if it is already set. */
    public void set() {
        if (value) {
            return;
        }
        value = true;
        for (Future<Void> waiter : waiters.poll(Integer.MAX_VALUE)) {
            waiter.trySetResult(null);
        }
    }

    /** Clears the flag: later waits block until the next {@link #set()}. */
    public void clear() {
        value = false;
    }

    /** Returns a future that resolves once the flag is set: at once if it already is. */
    public Future<Void> waitFor() {
        return value ? Future.completed(null) : waiters.add(new Future<>());
    }

    /**
     * Like {@link #waitFor()}, but the future fails with an {@link OperationTimeoutException} if the flag is
     * not set within {@code timeout}; a zero timeout fails at once when the flag is clear. A timed-out wait
     * leaves the event usable.
     */
    public Future<Void> waitFor(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return value ? Future.completed(null) : waiters.add(new Future<>(), timeout);
    }

    @Override
    public String toString() {
        return value ? "Event[set]" : "Event[clear]";
    }
}
