package io.squall.gen;

import io.squall.ioloop.IOLoop;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * A coroutine in {@link CoroutineMode#LOOP_CARRIER} mode: a virtual thread whose scheduler is this
 * object, which queues the thread's continuation on the loop, so the loop thread itself carries the
 * coroutine, one loop callback per step.
 *
 * <p>The JDK's virtual-thread state machine does all the work: {@link #park()} is
 * {@link LockSupport#park}, which unmounts the thread and ends the step; {@link #wake()} is
 * {@link LockSupport#unpark}, which makes the JDK hand the continuation to {@link #execute} (once, however
 * many wake-ups race); {@link #run()} mounts the continuation on the loop thread. Blocking JDK calls in
 * the body (a socket read, {@code Thread.sleep}, a contended monitor) unmount and resume the same way.
 */
final class LoopCarrierCoroutine<T> extends Coroutine<T> implements Executor {
    private final Thread thread;
    /**
     * The virtual thread's continuation, which the JDK hands to {@link #execute} whenever it must run;
     * set by the first call, from {@link #start()}.
     *
     * <p>Plain, yet safely published: it is written before that first {@code execute} queues this
     * coroutine with {@link io.squall.ioloop.internal.LoopCoroutines#addStep}, whose CAS and release store the loop thread reads
     * with acquire before {@link #run()}; so the loop thread sees it. Every later {@code execute}
     * comes from an unpark of the parked thread, which follows the thread's first run, which follows that
     * publication; the JDK's own volatile thread state orders the unparking thread after the park, so it
     * sees the field too. A virtual thread created inside the coroutine (which inherits this scheduler)
     * is created after the first run as well.
     */
    private Runnable continuation;

    LoopCarrierCoroutine(IOLoop loop, Callable<T> body) {
        super(loop, body);
        this.thread = CoroutineCarriers.loopCarrierThread(this, this::runBody);
    }

    @Override
    public Thread coroutineThread() {
        return thread;
    }

    @Override
    void start() {
        thread.start(); // the JDK hands the continuation to execute(), which queues it on the loop
    }

    /**
     * The JDK schedules the virtual thread's continuation: queue it on the loop. The first call comes
     * from {@link #start()} with this coroutine's own continuation. Any other continuation belongs to a
     * virtual thread created inside the coroutine, which inherited this scheduler from it (the JDK's
     * rule): that thread is not a coroutine and goes to the JDK's scheduler. Never blocks: the JDK calls
     * it with the caller pinned.
     *
     * <p>A loop that has closed takes no more steps; the continuation then runs on the JDK's scheduler,
     * where the coroutine ends at once (cancelled before it started, or at its next await): a coroutine
     * spawned as its loop closed, or one that was unmounted in a blocking JDK call beyond the loop's
     * closing grace.
     */
    @Override
    public void execute(Runnable runContinuation) {
        if (continuation == null) {
            continuation = runContinuation;
        } else if (runContinuation != continuation) {
            CoroutineCarriers.scheduleForeign(runContinuation);
            return;
        }
        if (!LOOPS.addStep(loop, this)) {
            CoroutineCarriers.scheduleForeign(runContinuation);
        }
    }

    /** One step, run by the loop: the virtual thread runs on the loop thread up to its next park or its end. */
    @Override
    public void run() {
        continuation.run();
        afterStep();
    }

    @Override
    void wake() {
        LockSupport.unpark(thread);
    }

    @Override
    void park() {
        LockSupport.park(this);
    }
}
