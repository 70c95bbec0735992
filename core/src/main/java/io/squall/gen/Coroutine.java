package io.squall.gen;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.internal.CoroutineTask;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A running coroutine: a virtual thread executing the body, and the future of its result.
 *
 * <p>The coroutine is also the loop callback that runs its next step ({@link #run()}), the scheduler
 * of its virtual thread in loop-carrier mode ({@link #execute}), and the done callback that wakes it
 * when an awaited future completes ({@link #accept}), so suspending and resuming allocate nothing but
 * the future's waiter node.
 */
final class Coroutine<T> extends Future<T> implements CoroutineTask, Executor, Consumer<Future<?>> {
    static final ScopedValue<Coroutine<?>> CURRENT = ScopedValue.newInstance();
    private static final boolean LOOP_CARRIER = CoroutineCarriers.MODE == CoroutineMode.LOOP_CARRIER;
    private static final VarHandle AWAITING;

    static {
        try {
            AWAITING = MethodHandles.lookup().findVarHandle(Coroutine.class, "awaiting", Future.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IOLoop loop;
    private final Callable<T> body;
    private final Thread thread;
    private volatile boolean cancelRequested;
    /**
     * The future the coroutine is suspended on, if any: cancelling the coroutine cancels it. Written
     * with release and read with acquire ({@link #AWAITING}): a cancel from another thread that misses
     * it still sets {@link #cancelRequested}, which the coroutine checks after every wake-up.
     */
    @SuppressWarnings("unused") // through AWAITING
    private Future<?> awaiting;

    /** Run by the coroutine just before it suspends (see {@link Coroutines#setSuspendHook}); coroutine only. */
    private Runnable suspendHook;
    private boolean inSuspendHook;

    /** Loop-carrier mode: the continuation the JDK asks us to run on the loop. */
    private Runnable continuation;

    /** Hand-off mode: who may run now, the coroutine's thread (true) or the loop thread (false). */
    private volatile boolean batonWithCoroutine;
    private volatile boolean started;
    private volatile boolean suspended;
    private volatile boolean finished;
    private volatile Thread resumer;

    Coroutine(IOLoop loop, Callable<T> body) {
        this.loop = loop;
        this.body = body;
        this.thread = CoroutineCarriers.newThread(this, this::runBody);
    }

    void start() {
        if (LOOP_CARRIER) {
            thread.start(); // the JDK hands the continuation to execute(), which queues it on the loop
        } else {
            loop.addCallback(this);
        }
    }

    IOLoop loop() {
        return loop;
    }

    @Override
    public Thread coroutineThread() {
        return thread;
    }

    /**
     * Loop-carrier mode: the JDK schedules the virtual thread's continuation; queue it on the loop.
     * The first call comes from {@link #start()} with this coroutine's own continuation. Any other
     * continuation belongs to a virtual thread created inside the coroutine, which inherited this
     * scheduler from it (the JDK's rule): that thread is not a coroutine and goes to the JDK's scheduler.
     */
    @Override
    public void execute(Runnable runContinuation) {
        if (continuation == null) {
            continuation = runContinuation;
        } else if (runContinuation != continuation) {
            CoroutineCarriers.scheduleForeign(runContinuation);
            return;
        }
        loop.addCallback(this);
    }

    /** One step of the coroutine, run by the loop: up to its next suspension or its end. */
    @Override
    public void run() {
        if (LOOP_CARRIER) {
            continuation.run();
            return;
        }
        if (finished || started && !suspended) {
            return; // a duplicate wake-up
        }
        resumer = Thread.currentThread();
        batonWithCoroutine = true;
        if (started) {
            LockSupport.unpark(thread);
        } else {
            started = true;
            thread.start();
        }
        while (batonWithCoroutine) {
            LockSupport.park(this);
        }
    }

    /** Done callback of an awaited future: resume the coroutine. */
    @Override
    public void accept(Future<?> done) {
        wake();
    }

    private void wake() {
        if (LOOP_CARRIER) {
            LockSupport.unpark(thread);
        } else {
            loop.addCallback(this);
        }
    }

    private void runBody() {
        if (!LOOP_CARRIER) {
            while (!batonWithCoroutine) {
                LockSupport.park(this);
            }
        }
        try {
            T value = null;
            Throwable error = null;
            try {
                if (cancelRequested) {
                    throw new CancellationException("Coroutine cancelled before it started");
                }
                value = loop.callAsCurrent(CURRENT, this, body);
            } catch (Throwable t) {
                error = t;
            }
            complete(value, error);
        } finally {
            finished = true;
            if (!LOOP_CARRIER) {
                giveBatonToLoop();
            }
        }
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
    void setSuspendHook(Runnable hook) {
        suspendHook = hook;
    }

    /** Suspends the calling coroutine (this one) until {@code future} is done or the coroutine is cancelled. */
    void suspendUntil(Future<?> future) {
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
                if (LOOP_CARRIER) {
                    LockSupport.park(this);
                } else {
                    handOffSuspend();
                }
            }
        } finally {
            AWAITING.setRelease(this, null);
        }
    }

    /** Throws a requested cancellation, once: a coroutine that catches it may await again. */
    private void deliverCancellation() {
        if (cancelRequested) {
            cancelRequested = false;
            throw new CancellationException("Coroutine cancelled");
        }
    }

    private void handOffSuspend() {
        suspended = true;
        giveBatonToLoop();
        while (!batonWithCoroutine) {
            LockSupport.park(this);
        }
        suspended = false;
    }

    private void giveBatonToLoop() {
        Thread r = resumer;
        batonWithCoroutine = false;
        LockSupport.unpark(r);
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
    public boolean cancel() {
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
