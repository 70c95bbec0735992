package io.squall.locks;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.locks.internal.WaiterQueue;
import java.time.Duration;
import java.util.Objects;

/**
 * A counter of permits that coroutines acquire and release, waiting while none is left (Tornado's
 * {@code Semaphore}). It limits how many coroutines use a resource at once:
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(2);
 * try (var _ = await(slots.acquire())) {
 *     ... // at most two coroutines at a time here
 * }
 * }</pre>
 *
 * <p>{@link #acquire()} returns a done future while a permit is free and otherwise queues the caller; each
 * {@link #release()} hands its permit to the longest-waiting caller (FIFO). Releasing more often than
 * acquiring is allowed and raises the count; {@link BoundedSemaphore} forbids it. Not thread-safe: use it
 * from the callbacks and coroutines of one loop.
 */
public class Semaphore {
    private final WaiterQueue<Future<Permit>> waiters =
            new WaiterQueue<>(WaiterQueue.failWithTimeout("Semaphore.acquire"));
    private int value;

    /**
     * Creates a semaphore with {@code value} free permits.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0, got " + value);
        }
        this.value = value;
    }

    /**
     * Takes a permit. The future is already done if one is free; otherwise it resolves when a
     * {@link #release()} hands one over. Close the {@link Permit} (or call {@link #release()}) to give it back.
     */
    public Future<Permit> acquire() {
        return acquireWithin(null);
    }

    /**
     * Like {@link #acquire()}, but the future fails with an {@link OperationTimeoutException} if no permit
     * arrives within {@code timeout}; a zero timeout fails at once when none is free. A timed-out caller
     * takes no permit.
     */
    public Future<Permit> acquire(Duration timeout) {
        return acquireWithin(Objects.requireNonNull(timeout, "timeout"));
    }

    private Future<Permit> acquireWithin(Duration timeoutOrNull) {
        if (value > 0) {
            value--;
            return Future.completed(newPermit());
        }
        return waiters.add(new Future<>(), timeoutOrNull);
    }

    /** Gives a permit back: to the longest-waiting caller if there is one, else to the free count. */
    public void release() {
        for (Future<Permit> waiter; (waiter = waiters.poll()) != null; ) {
            if (waiter.trySetResult(newPermit())) {
                return;
            }
        }
        value++;
    }

    /** A permit whose close releases the right object; {@link Lock} makes it release the lock. */
    Permit newPermit() {
        return new Permit(this::release);
    }

    /** The number of free permits. */
    int value() {
        return value;
    }

    /** Queued waiters, including timed-out ones not yet swept (for tests). */
    int waiterCount() {
        return waiters.size();
    }

    @Override
    public String toString() {
        String state = value == 0 ? "locked" : "unlocked,value=" + value;
        if (waiters.size() > 0) {
            state += ",waiters=" + waiters.size();
        }
        return getClass().getSimpleName() + "[" + state + "]";
    }
}
