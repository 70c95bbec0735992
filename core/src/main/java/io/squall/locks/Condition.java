package io.squall.locks;

import io.squall.concurrent.Future;
import io.squall.locks.internal.WaiterQueue;
import java.time.Duration;
import java.util.Objects;

/**
 * Lets coroutines wait until another one signals them (Tornado's {@code Condition}). Unlike
 * {@link java.util.concurrent.locks.Condition} it needs no lock: the loop runs one piece of code at a time.
 *
 * <pre>{@code
 * Condition ready = new Condition();
 * spawn(() -> { await(ready.waitFor()); System.out.println("woken"); });
 * ready.signal();
 * }</pre>
 *
 * <p>Waiters are woken in FIFO order. A woken coroutine resumes on a later loop iteration, not inside
 * {@link #signal()}. A waiter that timed out does not count against a signal's {@code n}. Not thread-safe:
 * use it from the callbacks and coroutines of one loop.
 */
public final class Condition {
    private final WaiterQueue<Future<Boolean>> waiters =
            new WaiterQueue<>((waiter, timeout) -> waiter.trySetResult(false));

    /** Creates a condition with no waiters. */
    public Condition() {}

    /** Returns a future that resolves {@code true} when this condition is signalled. */
    public Future<Boolean> waitFor() {
        return waiters.add(new Future<>());
    }

    /**
     * Returns a future that resolves {@code true} when this condition is signalled, or {@code false} once
     * {@code timeout} has passed without a signal; it never fails. A zero timeout resolves {@code false}
     * at once.
     */
    public Future<Boolean> waitFor(Duration timeout) {
        return waiters.add(new Future<>(), Objects.requireNonNull(timeout, "timeout"));
    }

    /** Wakes the longest-waiting waiter, if any. */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes the first {@code n} waiters in FIFO order (fewer if fewer wait). Waiters added by the woken
     * ones' callbacks are not part of this signal.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("signal count must be >= 0, got " + n);
        }
        for (Future<Boolean> waiter : waiters.poll(n)) {
            waiter.trySetResult(true);
        }
    }

    /** Wakes every current waiter. */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    /** Queued waiters, including timed-out ones not yet swept (for tests). */
    int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        return waiters.size() == 0 ? "Condition" : "Condition[waiters=" + waiters.size() + "]";
    }
}
