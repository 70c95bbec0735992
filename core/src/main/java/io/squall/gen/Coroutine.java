package io.squall.gen;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.internal.CoroutineTask;
import io.squall.ioloop.internal.LoopCoroutines;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * A running coroutine: a virtual thread executing the body, and the future of its result.
 *
 * <p>The coroutine is also the loop callback that runs its next step ({@link #run()}) and the done
 * callback that wakes it when an awaited future completes ({@link #accept}), so suspending and resuming
 * allocate nothing but the future's waiter node.
 *
 * <p>What is common to both ways of running coroutines lives here: the body and its outcome,
 * cancellation, the suspend hook, and the await loop. How a step runs, how the coroutine gives the
 * loop back and how it is woken differ, one subclass per {@link CoroutineMode}:
 * {@link LoopCarrierCoroutine} (the loop thread carries the virtual thread) and
 * {@link HandOffCoroutine} (a baton between the loop thread and a virtual thread of the JDK's
 * scheduler). {@link #create} picks the one of this JVM's mode.
 */
abstract sealed class Coroutine<T> extends Future<T> implements CoroutineTask, Consumer<Future<?>>
        permits LoopCarrierCoroutine, HandOffCoroutine {
    static final ScopedValue<Coroutine<?>> CURRENT = ScopedValue.newInstance();
    /** The loop's side of coroutines. */
    static final LoopCoroutines LOOPS = LoopCoroutines.get();
    private static final VarHandle AWAITING;

    static {
        try {
            AWAITING = MethodHandles.lookup().findVarHandle(Coroutine.class, "awaiting", Future.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final IOLoop loop;
    private final Callable<T> body;
    private volatile boolean cancelRequested;
    /**
     * The future the coroutine is suspended on, if any: cancelling the coroutine cancels it. Written
     * with release and read with acquire ({@link #AWAITING}): a cancel from another thread that misses
     * it still sets {@link #cancelRequested}, which the coroutine checks after every wake-up.
     */
    @SuppressWarnings("unused") // through AWAITING
    private Future<?> awaiting;

    /** The registration with the loop ({@link LoopCoroutines#register}) while alive after a step, else -1; loop only. */
    private int registration = -1;

    /** Run by the coroutine just before it suspends (see {@link Coroutines#setSuspendHook}); coroutine only. */
    private Runnable suspendHook;
    private boolean inSuspendHook;

    Coroutine(IOLoop loop, Callable<T> body) {
        this.loop = loop;
        this.body = body;
    }

    /** A new, unstarted coroutine of this JVM's {@link CoroutineMode}. */
    static <T> Coroutine<T> create(IOLoop loop, Callable<T> body) {
        return CoroutineCarriers.MODE == CoroutineMode.LOOP_CARRIER
                ? new LoopCarrierCoroutine<>(loop, body) : new HandOffCoroutine<>(loop, body);
    }

    /**
     * Starts the coroutine: its first step runs on the loop's next iteration. Safe from any thread. On a
     * loop that has closed it ends cancelled without running its body.
     */
    abstract void start();

    /** Has the loop run the coroutine's next step (after an awaited future completed, or to deliver a cancel). Safe from any thread. */
    abstract void wake();

    /** Gives the loop back until {@link #wake()} has the loop run the next step; called by the coroutine itself. */
    abstract void park();

    /** Done callback of an awaited future: resume the coroutine. */
    @Override
    public final void accept(Future<?> done) {
        wake();
    }

    /** The loop closes: wake up, so that the await the coroutine is in throws (see {@link #deliverCancellation}). */
    @Override
    public final void loopClosing() {
        wake();
    }

    /**
     * Loop only, after each step: keeps the loop's register of live coroutines up to date, so that
     * closing the loop cancels this one if it has not finished. A coroutine that ends in its first step
     * (one that never waits) is never registered.
     */
    final void afterStep() {
        if (isDone()) {
            if (registration >= 0) {
                LOOPS.unregister(loop, registration);
                registration = -1;
            }
        } else if (registration < 0) {
            registration = LOOPS.register(loop, this);
        }
    }

    /** The body, run on the coroutine's thread: its outcome completes this future. */
    final void runBody() {
        T value = null;
        Throwable error = null;
        try {
            if (cancelRequested || loop.isClosed()) {
                throw new CancellationException(cancelRequested ? "Coroutine cancelled before it started"
                        : "Coroutine not started: " + loop + " is closed");
            }
            value = loop.callAsCurrent(CURRENT, this, body);
        } catch (Throwable t) {
            error = t;
        }
        complete(value, error);
    }

    /**
     * Completes this future with the body's outcome, with the loop bound as current so that done
     * callbacks run as loop code ({@link IOLoop#inLoop()}, {@link IOLoop#current()}) like every other
     * callback of the loop.
     */
    private void complete(T value, Throwable error) {
        try {
            loop.callAsCurrent(() -> error == null ? trySetResult(value) : trySetException(error));
        } catch (Exception e) {
            throw new IllegalStateException("completing " + this, e); // trySet* throw nothing checked
        }
    }

    /** Sets the hook run before each suspension; called by the coroutine itself. */
    final void setSuspendHook(Runnable hook) {
        suspendHook = hook;
    }

    /** Suspends the calling coroutine (this one) until {@code future} is done or the coroutine is cancelled. */
    final void suspendUntil(Future<?> future) {
        deliverCancellation();
        Runnable hook = suspendHook;
        if (hook != null && !inSuspendHook) {
            inSuspendHook = true;
            try {
                hook.run();
            } finally {
                inSuspendHook = false;
            }
            if (future.isDone()) {
                return; // the hook did what the coroutine was about to wait for
            }
        }
        future.addDoneCallback(this);
        AWAITING.setRelease(this, future);
        try {
            while (!future.isDone()) {
                deliverCancellation();
                park();
            }
        } finally {
            AWAITING.setRelease(this, null);
        }
    }

    /**
     * Throws a requested cancellation, once: a coroutine that catches it may await again. Once the loop
     * is closed, throws at every call: nothing would ever resume the coroutine.
     */
    private void deliverCancellation() {
        if (cancelRequested) {
            cancelRequested = false;
            throw new CancellationException("Coroutine cancelled");
        }
        if (loop.isClosed()) {
            throw new CancellationException("Coroutine cancelled: " + loop + " is closed");
        }
    }

    /**
     * Requests cancellation, as asyncio's {@code Task.cancel}: if the coroutine is suspended on a
     * future that accepts cancellation, that future is cancelled (a lock's waiter is dropped, a nested
     * coroutine is cancelled in turn) and its {@link CancellationException} surfaces at the await;
     * otherwise the coroutine's current or next await throws one, once. Either way its finally blocks
     * run; if the exception escapes the body, this future ends cancelled, and a coroutine that catches
     * it may go on awaiting. Returns false if the coroutine already finished. To keep a shared future
     * from being cancelled this way, await a copy of it ({@code f.map(x -> x)}).
     */
    @Override
    public final boolean cancel() {
        if (isDone()) {
            return false;
        }
        Future<?> waitingFor = (Future<?>) AWAITING.getAcquire(this);
        if (waitingFor != null && waitingFor.cancel()) {
            return true; // the awaited future (a lock's waiter, a nested coroutine) carries the cancellation
        }
        cancelRequested = true;
        wake();
        return true;
    }

    @Override
    public String toString() {
        return "Coroutine[" + body + ", " + super.toString() + "]";
    }
}
