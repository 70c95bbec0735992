package io.squall.locks;

/**
 * Proof of a successful {@link Semaphore#acquire()} or {@link Lock#acquire()}: closing it releases what
 * was acquired, once. It makes try-with-resources the idiom for holding a lock, which also releases it
 * when the block throws:
 *
 * <pre>{@code
 * try (var _ = await(lock.acquire())) {
 *     ... // at most one coroutine at a time runs here
 * }
 * }</pre>
 *
 * <p>This is what Tornado's {@code async with lock:} does. A second {@link #close()} is a no-op.
 */
public final class Permit implements AutoCloseable {
    private Runnable release;

    Permit(Runnable release) {
        this.release = release;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return release == null;
    }

    /** Releases the semaphore or lock this permit was acquired from; does nothing the second time. */
    @Override
    public void close() {
        Runnable r = release;
        if (r != null) {
            release = null;
            r.run();
        }
    }

    @Override
    public String toString() {
        return isClosed() ? "Permit[released]" : "Permit[held]";
    }
}
