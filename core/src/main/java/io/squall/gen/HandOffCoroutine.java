package io.squall.gen;

import io.squall.ioloop.IOLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * A coroutine in {@link CoroutineMode#HAND_OFF} mode: a virtual thread on the JDK's own scheduler,
 * and a baton that it and the loop pass back and forth, so that the coroutine's code still runs only
 * while the loop waits for it, one piece of the loop's code at a time.
 *
 * <p>A step ({@link #run()}, a loop callback) gives the coroutine the baton and waits, parked, until the
 * coroutine hands it back: when it suspends in an await ({@link #park()}) or when its body ends. The
 * baton is the {@link #state} field:
 *
 * <pre>
 *        run(): CAS, start the thread         the coroutine awaits: park()
 *   NEW ─────────────────────────────▶ RUNNING ─────────────────────────────▶ SUSPENDED
 *    │                                  │   ▲                                      │
 *    │ the loop refused the step        │   └──────────────────────────────────────┘
 *    │ (closed): CAS, end cancelled     │      run(): the loop hands the baton back
 *    ▼                                  ▼ the body ended
 *   DONE ◀──────────────────────────────┘
 * </pre>
 *
 * <p>Who writes: the loop thread (in {@code run()}) moves NEW or SUSPENDED to RUNNING, then waits while
 * it is RUNNING; the coroutine's thread moves RUNNING to SUSPENDED or DONE, then (if SUSPENDED) waits
 * until it is RUNNING again. Each side writes only while it holds the baton, so these transitions need
 * no CAS: a volatile write hands the baton over, and with it everything the holder wrote before (the
 * happens-before of the volatile write and the other side's read). NEW alone has two possible writers:
 * the loop's first step, and a thread whose {@link #start()} or {@link #wake()} a closed loop refused
 * ({@link io.squall.ioloop.internal.LoopCoroutines#addStep}); both leave it by CAS, so the body runs at most once and never
 * after a refusal. A step while the coroutine runs is impossible (the loop is waiting for it), and one
 * in DONE (a duplicate wake-up) is ignored; one in SUSPENDED while the awaited future is still pending
 * (a spurious wake-up) makes the await find its future pending and suspend again. A closed loop
 * refuses steps only once every coroutine it had registered (any that had run a step) has ended, so
 * a refused step finds NEW or DONE.
 */
final class HandOffCoroutine<T> extends Coroutine<T> {
    /** Not started: the thread is unstarted and no step ran. */
    private static final int NEW = 0;
    /** The coroutine's thread holds the baton and runs; the loop thread waits in {@link #run()}. */
    private static final int RUNNING = 1;
    /** Parked in an await; the loop holds the baton. */
    private static final int SUSPENDED = 2;
    /** The body ended; the loop holds the baton for good. */
    private static final int DONE = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(HandOffCoroutine.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread thread;
    /** The baton: NEW, RUNNING, SUSPENDED or DONE, as above (CAS through {@link #STATE} out of NEW). */
    private volatile int state = NEW;
    /**
     * The thread running the current step, which the coroutine wakes when it hands the baton back.
     * Written by that thread before it hands the baton over (so read safely by the coroutine).
     */
    private Thread resumer;

    HandOffCoroutine(IOLoop loop, Callable<T> body) {
        super(loop, body);
        this.thread = CoroutineCarriers.handOffThread(this::runThenHandBack);
    }

    @Override
    public Thread coroutineThread() {
        return thread;
    }

    @Override
    void start() {
        queueStep(); // the first step starts the thread
    }

    /** One step, run by the loop: hands the coroutine the baton and waits until it hands it back. */
    @Override
    public void run() {
        int s = state;
        if (s == SUSPENDED) {
            resumer = Thread.currentThread();
            state = RUNNING;
            LockSupport.unpark(thread);
        } else if (s == NEW) {
            resumer = Thread.currentThread();
            if (!STATE.compareAndSet(this, NEW, RUNNING)) {
                return; // a refused wake-up ended it first
            }
            thread.start();
        } else {
            return; // a duplicate wake-up of a finished coroutine
        }
        while (state == RUNNING) {
            LockSupport.park(this);
        }
        afterStep();
    }

    @Override
    void wake() {
        queueStep();
    }

    private void queueStep() {
        if (!LOOPS.addStep(loop, this) && STATE.compareAndSet(this, NEW, DONE)) {
            runBody(); // on this thread: the loop is closed, so it ends cancelled without running the body
        }
    }

    /** Hands the baton to the loop and waits until a step hands it back. */
    @Override
    void park() {
        handBack(SUSPENDED);
        while (state != RUNNING) {
            LockSupport.park(this);
        }
    }

    private void runThenHandBack() {
        try {
            runBody();
        } finally {
            handBack(DONE);
        }
    }

    private void handBack(int next) {
        Thread waiting = resumer; // read before the write: the next step may set another resumer
        state = next;
        LockSupport.unpark(waiting);
    }
}
