package io.squall.locks;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import java.time.Duration;

/**
 * A mutual-exclusion lock for coroutines (Tornado's {@code Lock}): a {@link BoundedSemaphore} of one.
 *
 * <pre>{@code
 * try (var _ = await(lock.acquire())) {
 *     ... // one coroutine at a time; released even if this throws
 * }
 * }</pre>
 *
 * <p>It is not reentrant and not owned: any code may release it, and a coroutine that acquires it twice
 * waits for itself. Waiters get the lock in FIFO order. Not thread-safe: use it from the callbacks and
 * coroutines of one loop.
 */
public final class Lock {
    private final BoundedSemaphore block = new BoundedSemaphore(1) {
        @Override
        Permit newPermit() {
            return new Permit(Lock.this::release);
        }
    };

    /** Creates an unlocked lock. */
    public Lock() {}

    /**
     * Locks it: the future is already done if the lock is free, and otherwise resolves when the lock is
     * handed over by a {@link #release()}. Close the {@link Permit} (or call {@link #release()}) to unlock.
     */
    public Future<Permit> acquire() {
        return block.acquire();
    }

    /**
     * Like {@link #acquire()}, but the future fails with an {@link OperationTimeoutException} if the lock
     * is not obtained within {@code timeout}; a zero timeout fails at once when it is held.
     */
    public Future<Permit> acquire(Duration timeout) {
        return block.acquire(timeout);
    }

    /**
     * Unlocks it; the first waiter, if any, gets the lock.
     *
     * @throws IllegalStateException if the lock is not locked
     */
    public void release() {
        if (!isLocked()) {
            throw new IllegalStateException("release of an unlocked Lock");
        }
        block.release();
    }

    /** Whether the lock is held. */
    public boolean isLocked() {
        return block.value() == 0;
    }

    @Override
    public String toString() {
        return "Lock[" + (isLocked() ? "locked" : "unlocked")
                + (block.waiterCount() > 0 ? ",waiters=" + block.waiterCount() : "") + "]";
    }
}
