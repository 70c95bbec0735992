package io.squall.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A handle to a callback scheduled with {@link IOLoop#callLater} or {@link IOLoop#callAt}.
 *
 * <p>{@link #cancel()} (or {@link IOLoop#removeTimeout}) is cheap: the entry stays in the loop's heap,
 * marked, and is dropped when it reaches the top or when cancelled entries come to dominate the heap.
 * Cancelling is safe from any thread; of a cancel and the callback starting at the same time, exactly
 * one wins.
 */
public final class Timeout {
    /** Stands for the callback once the loop took it to run it. */
    private static final Runnable TAKEN = () -> {};
    private static final VarHandle CALLBACK;

    static {
        try {
            CALLBACK = MethodHandles.lookup().findVarHandle(Timeout.class, "callback", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final IOLoop loop;
    final long deadline;
    final long sequence;
    /** The callback while the timeout is pending; null once cancelled; {@link #TAKEN} once it ran. */
    @SuppressWarnings("unused") // through CALLBACK
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

    /** Whether this timeout was cancelled before its callback started; false while pending and once it ran. */
    public boolean isCancelled() {
        return callback == null;
    }

    /** Cancels this timeout; a no-op once its callback has started or it was cancelled. */
    public void cancel() {
        Runnable cb;
        while ((cb = callback) != null && cb != TAKEN) {
            if (CALLBACK.compareAndSet(this, cb, null)) {
                loop.timeoutCancelled();
                return;
            }
        }
    }

    /** Takes the callback for running: returns null if cancelled, and makes a later cancel a no-op. */
    Runnable take() {
        Runnable cb;
        while ((cb = callback) != null && cb != TAKEN) {
            if (CALLBACK.compareAndSet(this, cb, TAKEN)) {
                return cb;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        Runnable cb = callback;
        return "Timeout[deadline=" + deadline + (cb == null ? ", cancelled]" : cb == TAKEN ? ", ran]" : "]");
    }
}
