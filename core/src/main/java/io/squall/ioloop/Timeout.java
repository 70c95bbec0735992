package io.squall.ioloop;

/**
 * A handle to a callback scheduled with {@link IOLoop#callLater} or {@link IOLoop#callAt}.
 *
 * <p>{@link #cancel()} (or {@link IOLoop#removeTimeout}) is cheap: the entry stays in the loop's heap,
 * marked, and is dropped when it reaches the top or when cancelled entries come to dominate the heap.
 * Cancelling is safe from any thread; a cancel that races with the callback starting may lose.
 */
public final class Timeout {
    final IOLoop loop;
    final long deadline;
    final long sequence;
    private volatile Runnable callback;

    Timeout(IOLoop loop, long deadline, long sequence, Runnable callback) {
        this.loop = loop;
        this.deadline = deadline;
        this.sequence = sequence;
        this.callback = callback;
    }

    /** The deadline on the loop's clock ({@link IOLoop#time()}), in nanoseconds. */
    public long deadline() {
        return deadline;
    }

    /** Whether this timeout was cancelled before it ran. */
    public boolean isCancelled() {
        return callback == null;
    }

    /** Cancels this timeout; a no-op once it has run or been cancelled. */
    public void cancel() {
        if (callback != null) {
            callback = null;
            loop.timeoutCancelled();
        }
    }

    /** Takes the callback for running: returns null if cancelled, and makes a later cancel a no-op. */
    Runnable take() {
        Runnable cb = callback;
        callback = null;
        return cb;
    }

    @Override
    public String toString() {
        return "Timeout[deadline=" + deadline + (isCancelled() ? ", cancelled or run]" : "]");
    }
}
