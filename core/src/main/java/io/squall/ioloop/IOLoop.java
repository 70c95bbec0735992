package io.squall.ioloop;

import io.squall.concurrent.Future;
import io.squall.gen.Coroutines;
import io.squall.ioloop.internal.CoroutineTask;
import io.squall.ioloop.internal.LoopCoroutines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-threaded event loop on a {@link Selector}: Tornado's IOLoop.
 *
 * <p>One thread runs the loop ({@link #start()}); every callback, timer, I/O handler and coroutine of
 * the loop runs on that thread, one at a time, so loop-owned state needs no locks. {@link #addCallback}
 * (also {@link #execute}) is the only method that is safe to call from other threads; it wakes a
 * sleeping loop. Everything else must be called on the loop, from a callback or a coroutine, or while
 * the loop is not running ({@link #inLoopOrNotRunning()}, which loop-only methods assert).
 * {@link #close()} cancels what is still pending on the loop, its suspended coroutines included.
 *
 * <p>Each iteration: wait for I/O (not at all if callbacks are pending, otherwise until the next
 * timer), run the handlers of ready channels, run the timers that are due, then run the callbacks that
 * were queued before the callback phase began (callbacks they add wait for the next batch). While
 * callbacks keep coming, up to 16 such timer-and-callback batches run per poll for I/O.
 * An exception from any callback is logged with its stack and the loop goes on.
 *
 * <pre>{@code
 * IOLoop loop = new IOLoop();
 * String body = loop.runSync(() -> {
 *     await(sleep(Duration.ofSeconds(1)));
 *     return "done";
 * }, Duration.ofSeconds(5));
 * }</pre>
 */
public final class IOLoop implements Executor, AutoCloseable {
    /** Interest and readiness flag: the channel is readable (or, for a server channel, acceptable). */
    public static final int READ = 0x001;
    /** Interest and readiness flag: the channel is writable (or, while connecting, connected). */
    public static final int WRITE = 0x004;
    /** Interest flag accepted for Tornado compatibility; NIO reports errors as READ/WRITE readiness. */
    public static final int ERROR = 0x018;

    private static final Logger LOG = LoggerFactory.getLogger(IOLoop.class);
    private static final ScopedValue<IOLoop> BOUND = ScopedValue.newInstance();
    private static final ThreadLocal<IOLoop> THREAD_CURRENT = new ThreadLocal<>();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int COMPACT_MIN_CANCELLATIONS = 512;
    private static final int BATCHES_PER_POLL = 16;
    /** How long {@link #close()} waits for coroutines still unmounted in a blocking JDK call to come back. */
    private static final long CLOSE_GRACE_NANOS = 1_000_000_000L;
    private static final long DEFAULT_BLOCKING_THRESHOLD_NANOS =
            Long.getLong("squall.blockingLogThresholdMillis", 2000L) * 1_000_000L;
    private static volatile ExecutorService sharedDefaultExecutor;

    static {
        LoopCoroutines.install(new CoroutineSupport());
    }

    private final int id = IDS.incrementAndGet();
    private final Selector selector;
    private final CallbackQueue callbacks = new CallbackQueue();
    private final AtomicBoolean wakeupArmed = new AtomicBoolean();
    private final PriorityQueue<Timeout> timers = new PriorityQueue<>(
            (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Long.compare(a.sequence, b.sequence));
    private final AtomicInteger cancelledTimers = new AtomicInteger();
    private long timerSequence;
    /** Loop thread only: true while the selector runs {@link #dispatch}, when it cannot be re-entered. */
    private boolean dispatching;
    /** Keys whose handlers were removed during {@link #dispatch}, to cancel once the select returns. */
    private final List<SelectionKey> removedWhileDispatching = new ArrayList<>();
    /** Whether a handler of this {@link #dispatch} closed a registered channel, whose descriptor a select must release. */
    private boolean closedWhileDispatching;

    private volatile Thread thread;
    private volatile boolean stopRequested;
    private volatile boolean closed;
    private volatile boolean selecting;
    private volatile long blockingThresholdNanos = DEFAULT_BLOCKING_THRESHOLD_NANOS;
    private Executor defaultExecutor;
    /** Loop only: the coroutines that ran a step here and have not finished, for {@link #close()} to cancel. */
    private final LiveCoroutines liveCoroutines = new LiveCoroutines();
    /** Per-loop singletons ({@link #loopLocal}); any thread may ask for one before the loop runs. */
    private final Map<Class<?>, Object> loopLocals = new ConcurrentHashMap<>();

    // Written by the loop thread, sampled by the watchdog: racy reads are fine for diagnostics.
    private long taskSequence;
    private Runnable currentTask;
    final WatchState watchState = new WatchState();

    /** Creates a loop. It becomes {@link #current()} for the thread that runs it, while it runs. */
    public IOLoop() {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    // ------------------------------------------------------------------ current loop

    /**
     * The loop of the calling code: inside a coroutine, its loop; on a thread running a loop, that
     * loop; otherwise the loop made current for this thread, created on first use (as Tornado does for
     * its main thread).
     */
    public static IOLoop current() {
        IOLoop loop = currentOrNull();
        if (loop == null) {
            loop = new IOLoop();
            THREAD_CURRENT.set(loop);
        }
        return loop;
    }

    /** Like {@link #current()} but returns null instead of creating a loop. */
    public static IOLoop currentOrNull() {
        return BOUND.isBound() ? BOUND.get() : THREAD_CURRENT.get();
    }

    /**
     * Whether the calling code runs on this loop: on the thread running it, in one of its coroutines
     * (whichever thread carries the coroutine), or in a done callback a coroutine of this loop runs as it
     * ends. Loop code uses it to decide whether it may act now or must hand work over with
     * {@link #addCallback}.
     */
    public boolean inLoop() {
        return BOUND.isBound() && BOUND.get() == this;
    }

    /**
     * Whether the caller may use the loop's loop-only methods (timers, handlers, and the streams and
     * objects of this loop) now: it is {@linkplain #inLoop() in the loop}, or no thread runs the loop, so
     * nothing else touches its state (setting up before {@link #start()}, tearing down after it returns).
     * Loop-only methods {@code assert} it, as Netty asserts {@code inEventLoop()}.
     */
    public boolean inLoopOrNotRunning() {
        return thread == null || inLoop();
    }

    /**
     * The message of a failed loop-confinement assertion: {@code what} was called from outside this loop
     * while it runs (for {@code assert loop.inLoopOrNotRunning() : loop.offLoop("...")}).
     */
    public String offLoop(String what) {
        return what + " called on " + Thread.currentThread() + ", outside " + this + " (running on " + thread
                + "); hand it to the loop with addCallback";
    }

    /** Makes this loop {@link #current()} for the calling thread until {@link #clearCurrent()}. */
    public void makeCurrent() {
        THREAD_CURRENT.set(this);
    }

    /** Removes the loop made current for the calling thread by {@link #makeCurrent()} or {@link #current()}. */
    public static void clearCurrent() {
        THREAD_CURRENT.remove();
    }

    /**
     * Runs {@code fn} on the calling thread with this loop as {@link #current()}: how coroutines of this
     * loop see their loop. It does not run the loop.
     */
    public <T> T callAsCurrent(Callable<T> fn) throws Exception {
        return ScopedValue.where(BOUND, this).call(fn::call);
    }

    /**
     * {@link #callAsCurrent(Callable)} with {@code key} also bound to {@code value} for {@code fn}, in the same
     * scope: one binding, and fewer frames under {@code fn}, than two nested calls (a coroutine's frames are
     * copied at each suspension and kept while it waits).
     */
    public <T, V> T callAsCurrent(ScopedValue<V> key, V value, Callable<T> fn) throws Exception {
        return ScopedValue.where(BOUND, this).where(key, value).call(fn::call);
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs the loop on the calling thread until {@link #stop()}.
     *
     * @throws IllegalStateException if the loop is already running or closed
     */
    public void start() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("IOLoop is closed");
            }
            if (thread != null) {
                throw new IllegalStateException("IOLoop is already running");
            }
            thread = Thread.currentThread();
        }
        stopRequested = false;
        BlockedLoopWatchdog.watch(this);
        try {
            ScopedValue.where(BOUND, this).run(this::runLoop);
        } finally {
            BlockedLoopWatchdog.unwatch(this);
            stopRequested = false;
            thread = null;
        }
    }

    /** Starts the loop on a new platform thread with the given name and returns that thread. */
    public Thread startThread(String name) {
        Thread t = Thread.ofPlatform().name(name).unstarted(this::start);
        t.start();
        return t;
    }

    /**
     * Asks the loop to return from {@link #start()} after the current iteration. Safe from any thread.
     * Callbacks still queued then stay queued for the next {@code start()}.
     */
    public void stop() {
        stopRequested = true;
        wakeup();
    }

    /** Whether a thread is running this loop. */
    public boolean isRunning() {
        return thread != null;
    }

    /**
     * Runs {@code fn} as a coroutine on this loop, runs the loop until it completes, and returns its
     * result or rethrows its exception (unchecked as raised, checked wrapped in
     * {@link java.util.concurrent.CompletionException}).
     *
     * @throws IllegalStateException if the loop is already running, or is stopped before {@code fn} completes
     */
    public <T> T runSync(Callable<T> fn) {
        return runSync(fn, null);
    }

    /**
     * Like {@link #runSync(Callable)}, giving up after {@code timeout}: the coroutine is cancelled and
     * an {@link io.squall.concurrent.OperationTimeoutException} is thrown.
     */
    public <T> T runSync(Callable<T> fn, Duration timeout) {
        if (isRunning()) {
            throw new IllegalStateException("IOLoop is already running");
        }
        Future<T> future = Coroutines.spawnOn(this, fn);
        future.addDoneCallback(f -> stop());
        boolean[] timedOut = new boolean[1];
        Timeout timer = timeout == null ? null : callLater(timeout, () -> {
            timedOut[0] = true;
            future.cancel();
            stop();
        });
        start();
        if (timer != null) {
            timer.cancel();
        }
        if (timedOut[0] && (!future.isDone() || future.isCancelled())) {
            throw new io.squall.concurrent.OperationTimeoutException(
                    "Operation timed out after " + seconds(timeout) + " seconds");
        }
        if (!future.isDone()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
    }

    private void runLoop() {
        try {
            while (!stopRequested) {
                runOnce();
            }
        } finally {
            currentTask = null;
        }
    }

    private void runOnce() {
        long timeoutNanos = callbacks.isEmpty() ? nanosToNextTimer() : 0L;
        dispatching = true;
        try {
            select(timeoutNanos);
        } finally {
            dispatching = false;
            cancelRemovedKeys();
            if (closedWhileDispatching) {
                closedWhileDispatching = false;
                flushCancelledKeys(); // the descriptors of the channels closed by this poll's handlers
            }
        }
        runDueTimers();
        runCallbacks();
        // A busy loop polls for I/O once per few callback batches: selectNow() is a system call that
        // costs more than a coroutine round trip. The bound keeps I/O from waiting behind callbacks.
        for (int batch = 1; batch < BATCHES_PER_POLL && !callbacks.isEmpty() && !stopRequested; batch++) {
            runDueTimers();
            runCallbacks();
        }
    }

    private void select(long timeoutNanos) {
        try {
            if (timeoutNanos == 0L) {
                selector.selectNow(this::dispatch);
                return;
            }
            wakeupArmed.set(true);
            if (!callbacks.isEmpty() || stopRequested) {
                wakeupArmed.set(false);
                selector.selectNow(this::dispatch);
                return;
            }
            selecting = true;
            try {
                long millis = timeoutNanos < 0 ? 0L : Math.max(1L, (timeoutNanos + 999_999L) / 1_000_000L);
                selector.select(this::dispatch, millis);
            } finally {
                selecting = false;
                wakeupArmed.set(false);
            }
        } catch (IOException e) {
            LOG.error("select() failed on {}", this, e);
        }
    }

    private void dispatch(SelectionKey key) {
        // The selector has stopped waiting, and the callbacks added from here on run once it returns:
        // a wakeup now would only cost a system call and make the next select return at once.
        if (wakeupArmed.getPlain()) {
            wakeupArmed.set(false);
        }
        Registration reg = (Registration) key.attachment();
        if (reg.removed || !key.isValid()) {
            return; // removed by an earlier handler in this iteration
        }
        int ready;
        try {
            ready = toEvents(key.readyOps());
        } catch (CancelledKeyException e) {
            return;
        }
        reg.ready = ready;
        runTask(reg);
    }

    private long nanosToNextTimer() {
        purgeCancelledTop();
        Timeout next = timers.peek();
        if (next == null) {
            return -1L; // wait for I/O or a wakeup, without limit
        }
        return Math.max(0L, next.deadline - System.nanoTime());
    }

    private void purgeCancelledTop() {
        Timeout top;
        while ((top = timers.peek()) != null && top.isCancelled()) {
            timers.poll();
            cancelledTimers.decrementAndGet();
        }
    }

    private void runDueTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        // Collect first: timers scheduled by these callbacks run in a later iteration.
        List<Timeout> due = null;
        Timeout top;
        while ((top = timers.peek()) != null && (top.isCancelled() || top.deadline <= now)) {
            timers.poll();
            if (top.isCancelled()) {
                cancelledTimers.decrementAndGet();
                continue;
            }
            if (due == null) {
                due = new ArrayList<>();
            }
            due.add(top);
        }
        if (due != null) {
            for (Timeout t : due) {
                Runnable cb = t.take();
                if (cb != null) {
                    runTask(cb);
                }
            }
        }
    }

    private void runCallbacks() {
        if (callbacks.isEmpty()) {
            return;
        }
        CallbackQueue.Node end = callbacks.batchEnd();
        Runnable task;
        while ((task = callbacks.pollUpTo(end)) != null) {
            runTask(task);
        }
    }

    private void runTask(Runnable task) {
        currentTask = task;
        taskSequence++;
        try {
            task.run();
        } catch (Throwable t) {
            LOG.error("Exception in callback {}", task, t);
        }
    }

    // ------------------------------------------------------------------ callbacks

    /**
     * Schedules {@code callback} to run on the loop in a later iteration, in FIFO order. The only
     * thread-safe method of the loop: it never blocks or parks, and it wakes the loop if it is waiting
     * for I/O. After {@link #close()} the callback is silently dropped.
     */
    public void addCallback(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        if (!closed && callbacks.offer(callback)) {
            wakeup();
        }
    }

    /** Same as {@link #addCallback}: lets the loop serve as an {@link Executor}. */
    @Override
    public void execute(Runnable command) {
        addCallback(command);
    }

    /** Runs {@code fn} as a coroutine on this loop; its failure is logged, not returned. */
    public void spawnCallback(Callable<?> fn) {
        Coroutines.spawnOn(this, fn).addDoneCallback(f -> {
            if (f.isFailed() && !f.isCancelled()) {
                LOG.error("Exception in callback {}", fn, f.exception());
            }
        });
    }

    /** Runs {@code callback} on this loop once {@code future} is done, wherever it completes. */
    public <T> void addFuture(Future<T> future, Consumer<? super Future<T>> callback) {
        future.addDoneCallback(f -> addCallback(() -> callback.accept(f)));
    }

    private void wakeup() {
        if (wakeupArmed.get() && wakeupArmed.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    // ------------------------------------------------------------------ coroutines (for io.squall.gen)

    /** The loop's side of coroutines, reached by {@code io.squall.gen} through {@link LoopCoroutines}. */
    private static final class CoroutineSupport extends LoopCoroutines {
        @Override
        public boolean addStep(IOLoop loop, CoroutineTask step) {
            return loop.addCoroutineStep(step);
        }

        @Override
        public int register(IOLoop loop, CoroutineTask coroutine) {
            assert loop.inLoopOrNotRunning() : loop.offLoop("register a coroutine");
            return loop.liveCoroutines.add(Objects.requireNonNull(coroutine, "coroutine"));
        }

        @Override
        public void unregister(IOLoop loop, int registration) {
            assert loop.inLoopOrNotRunning() : loop.offLoop("unregister a coroutine");
            loop.liveCoroutines.remove(registration);
        }
    }

    /** See {@link LoopCoroutines#addStep}. */
    private boolean addCoroutineStep(CoroutineTask step) {
        if (!callbacks.offer(step)) {
            return false;
        }
        if (!closed) {
            wakeup();
        } else if (thread instanceof Thread closer) {
            LockSupport.unpark(closer); // close() may be waiting for this step
        }
        return true;
    }

    /** The number of coroutines that have started on this loop and not finished (for tests and metrics). */
    public int liveCoroutineCount() {
        return liveCoroutines.size();
    }

    // ------------------------------------------------------------------ timers

    /** The loop's clock: monotonic nanoseconds ({@link System#nanoTime()}). */
    public long time() {
        return System.nanoTime();
    }

    /** Runs {@code callback} on the loop after {@code delay}. */
    public Timeout callLater(Duration delay, Runnable callback) {
        return callAt(System.nanoTime() + delay.toNanos(), callback);
    }

    /** Runs {@code callback} on the loop at {@code deadline}, a value of {@link #time()}. */
    public Timeout callAt(long deadline, Runnable callback) {
        assert inLoopOrNotRunning() : offLoop("callAt");
        Objects.requireNonNull(callback, "callback");
        Timeout t = new Timeout(this, deadline, timerSequence++, callback);
        timers.add(t);
        return t;
    }

    /** Cancels a timeout; a no-op if it already ran or was cancelled. Same as {@link Timeout#cancel()}. */
    public void removeTimeout(Timeout timeout) {
        timeout.cancel();
    }

    void timeoutCancelled() {
        int cancelled = cancelledTimers.incrementAndGet();
        // Tornado's rule: rebuild the heap once cancelled entries are many and more than half of it.
        if (cancelled > COMPACT_MIN_CANCELLATIONS && cancelled > (timers.size() >> 1) && inLoopOrNotRunning()) {
            timers.removeIf(Timeout::isCancelled);
            cancelledTimers.set(0);
        }
    }

    /** The number of timers in the heap, cancelled ones not yet dropped included (for tests and metrics). */
    public int pendingTimerCount() {
        return timers.size();
    }

    // ------------------------------------------------------------------ I/O handlers

    /**
     * Calls {@code handler} whenever {@code channel} is ready for {@code events} ({@link #READ},
     * {@link #WRITE}). The channel is switched to non-blocking mode.
     *
     * @throws IllegalStateException if the channel already has a handler on this loop
     */
    public void addHandler(SelectableChannel channel, IOHandler handler, int events) {
        assert inLoopOrNotRunning() : offLoop("addHandler");
        Objects.requireNonNull(handler, "handler");
        SelectionKey existing = channel.keyFor(selector);
        if (existing != null && existing.isValid()) {
            if (!((Registration) existing.attachment()).removed) {
                throw new IllegalStateException("channel already registered on " + this + ": " + channel);
            }
            // Removed earlier in this dispatch and not cancelled yet: take the key over.
            existing.attach(new Registration(channel, handler));
            existing.interestOps(toOps(channel, events));
            return;
        }
        try {
            if (existing != null && !dispatchingOnThisThread()) {
                flushCancelledKeys(); // so the channel can be registered again
            }
            channel.configureBlocking(false);
            Registration reg = new Registration(channel, handler);
            channel.register(selector, toOps(channel, events), reg);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("channel is closed: " + channel, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Changes the events a registered channel's handler is called for. */
    public void updateHandler(SelectableChannel channel, int events) {
        assert inLoopOrNotRunning() : offLoop("updateHandler");
        SelectionKey key = channel.keyFor(selector);
        if (key == null || !key.isValid() || ((Registration) key.attachment()).removed) {
            throw new IllegalStateException("channel not registered on " + this + ": " + channel);
        }
        key.interestOps(toOps(channel, events));
    }

    /**
     * Stops calling the channel's handler; a no-op if it has none. A handler removed by another handler
     * in the same iteration is not called.
     */
    public void removeHandler(SelectableChannel channel) {
        assert inLoopOrNotRunning() : offLoop("removeHandler");
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            return;
        }
        Registration reg = (Registration) key.attachment();
        if (reg.removed) {
            return;
        }
        reg.removed = true;
        if (dispatchingOnThisThread() && key.isValid()) {
            // A cancelled key is only flushed by a select, which cannot run inside dispatch; cancelling
            // later lets a handler register the channel again meanwhile.
            key.interestOps(0);
            removedWhileDispatching.add(key);
        } else {
            key.cancel();
            if (channel instanceof ServerSocketChannel && inLoopOrNotRunning()) {
                // A listening socket is only really closed once its key is flushed: do it now, so a
                // stopped server frees its port at once.
                flushCancelledKeys();
            }
        }
    }

    /**
     * Removes the channel's handler, if it has one, and closes the channel, releasing its file descriptor
     * at once, or when called by a handler of this loop, as soon as the handlers of the current poll have
     * run (before any callback). A plain {@code close()} of a registered channel keeps its descriptor
     * open until the selector next polls, which a loop busy with callbacks reaches only after several
     * batches of them: the connection would count as closed while its descriptor is still held, and a
     * burst of closes would hold as many descriptors.
     *
     * @throws IOException if closing the channel fails (the handler is removed all the same)
     */
    public void closeChannel(SelectableChannel channel) throws IOException {
        assert inLoopOrNotRunning() : offLoop("closeChannel");
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            channel.close();
            return;
        }
        ((Registration) key.attachment()).removed = true;
        try {
            channel.close(); // cancels the key; the descriptor is released once the key is flushed
        } finally {
            if (dispatchingOnThisThread()) {
                closedWhileDispatching = true;
            } else if (selector.isOpen()) {
                flushCancelledKeys();
            }
        }
    }

    /**
     * Deregisters cancelled keys now instead of at the next poll. Readiness found meanwhile is
     * dropped, which loses nothing: the selector is level-triggered, so it is reported again.
     */
    private void flushCancelledKeys() {
        try {
            selector.selectNow(key -> {});
        } catch (IOException e) {
            LOG.debug("flushing cancelled keys of {} failed", this, e);
        }
    }

    private boolean dispatchingOnThisThread() {
        return thread == Thread.currentThread() && dispatching;
    }

    private void cancelRemovedKeys() {
        if (removedWhileDispatching.isEmpty()) {
            return;
        }
        for (SelectionKey key : removedWhileDispatching) {
            if (((Registration) key.attachment()).removed) {
                key.cancel();
            }
        }
        removedWhileDispatching.clear();
    }

    private static int toOps(SelectableChannel channel, int events) {
        int valid = channel.validOps();
        int ops = 0;
        if ((events & READ) != 0) {
            ops |= (valid & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        }
        if ((events & WRITE) != 0) {
            ops |= channel instanceof SocketChannel sc && sc.isConnectionPending()
                    ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        }
        return ops & valid;
    }

    private static int toEvents(int readyOps) {
        int events = 0;
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= READ;
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            events |= WRITE;
        }
        return events;
    }

    /** A channel's handler; run as a task, it hands the handler the events of the current dispatch. */
    private static final class Registration implements Runnable {
        final SelectableChannel channel;
        final IOHandler handler;
        boolean removed;
        /** The events being dispatched (set just before {@link #run}). */
        int ready;

        Registration(SelectableChannel channel, IOHandler handler) {
            this.channel = channel;
            this.handler = handler;
        }

        @Override
        public void run() {
            handler.onEvents(channel, ready);
        }

        @Override
        public String toString() {
            return "events " + ready + " of " + handler;
        }
    }

    // ------------------------------------------------------------------ executors

    /**
     * Runs {@code fn} on {@code executor} (null: the default executor) and returns a future that
     * completes on this loop with its result.
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        Future<T> future = new Future<>();
        Executor target = executor != null ? executor : defaultExecutor();
        target.execute(() -> {
            T value;
            try {
                value = fn.call();
            } catch (Throwable t) {
                addCallback(() -> future.trySetException(t));
                return;
            }
            addCallback(() -> future.trySetResult(value));
        });
        return future;
    }

    /** Replaces the executor {@link #runInExecutor} uses when given none. */
    public void setDefaultExecutor(Executor executor) {
        this.defaultExecutor = executor;
    }

    private Executor defaultExecutor() {
        if (defaultExecutor != null) {
            return defaultExecutor;
        }
        ExecutorService shared = sharedDefaultExecutor;
        if (shared == null) {
            synchronized (IOLoop.class) {
                if (sharedDefaultExecutor == null) {
                    int threads = Runtime.getRuntime().availableProcessors() * 5; // Tornado's default
                    AtomicInteger n = new AtomicInteger();
                    sharedDefaultExecutor = Executors.newFixedThreadPool(threads, r -> Thread.ofPlatform()
                            .daemon().name("squall-executor-" + n.incrementAndGet()).unstarted(r));
                }
                shared = sharedDefaultExecutor;
            }
        }
        return shared;
    }

    // ------------------------------------------------------------------ watchdog

    /**
     * Sets how long one callback or coroutine step may hold the loop before a warning with its stack
     * is logged; zero or negative turns the watchdog off. Default: 2 s (system property
     * {@code squall.blockingLogThresholdMillis}).
     */
    public void setBlockingLogThreshold(Duration threshold) {
        this.blockingThresholdNanos = threshold.toNanos();
    }

    long blockingLogThresholdNanos() {
        return blockingThresholdNanos;
    }

    long taskSequence() {
        return taskSequence;
    }

    Runnable currentTask() {
        return currentTask;
    }

    boolean isSelecting() {
        return selecting;
    }

    Thread loopThread() {
        return thread;
    }

    static final class WatchState {
        long sampledSequence = -1;
        long sampledAt;
        boolean reported;
    }

    // ------------------------------------------------------------------ per-loop singletons

    /**
     * The instance of {@code type} that belongs to this loop, made by {@code factory} on first use: how
     * a library keeps one default object per loop, such as the HTTP client of
     * {@code AsyncHttpClient.current()}. If the instance is {@link AutoCloseable}, {@link #close()} closes
     * it before releasing the loop. Safe from any thread; {@code factory} runs at most once per type
     * (until {@link #removeLoopLocal}).
     */
    public <T> T loopLocal(Class<T> type, Function<IOLoop, ? extends T> factory) {
        Objects.requireNonNull(factory, "factory");
        return type.cast(loopLocals.computeIfAbsent(type, t -> Objects.requireNonNull(factory.apply(this),
                "the loop-local factory returned null")));
    }

    /** Forgets the instance of {@code type} if it is {@code instance} (for an instance closed by its owner). */
    public <T> void removeLoopLocal(Class<T> type, T instance) {
        loopLocals.remove(type, instance);
    }

    // ------------------------------------------------------------------ closing

    /** Closes the loop without closing the registered channels; see {@link #close(boolean)}. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Closes the loop, on the calling thread, which stands in for the loop meanwhile. What is pending on
     * the loop is cancelled, and nothing of it stays reachable:
     * <ol>
     *   <li>pending timers and callbacks are dropped (and callbacks added from now on, as before);
     *   <li>every coroutine of the loop that has not finished is cancelled: the await it is suspended in
     *       (and any later one) throws {@link java.util.concurrent.CancellationException}, and the loop
     *       runs the rest of it, its {@code finally} blocks included, until it ends. A coroutine still
     *       unmounted in a blocking JDK call (a socket read, {@code Thread.sleep}) is waited for up to
     *       1 s, then left to finish on the JDK's scheduler when that call returns;
     *   <li>the loop-local objects that are {@link AutoCloseable} are closed ({@link #loopLocal});
     *   <li>the selector is released and, if {@code closeChannels}, the registered channels are closed.
     * </ol>
     * A coroutine spawned on a closed loop ends cancelled without running. Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    public void close(boolean closeChannels) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (thread != null) {
                throw new IllegalStateException("cannot close a running IOLoop; stop it first");
            }
            closed = true;
            thread = Thread.currentThread();
        }
        try {
            ScopedValue.where(BOUND, this).run(() -> {
                timers.clear();
                cancelledTimers.set(0);
                finishCoroutines();
                closeLoopLocals();
                for (Runnable task : callbacks.close()) {
                    if (task instanceof CoroutineTask) {
                        runTask(task); // queued before the queue closed: its coroutine ends here
                    }
                }
            });
        } finally {
            thread = null;
        }
        if (THREAD_CURRENT.get() == this) {
            THREAD_CURRENT.remove();
        }
        if (closeChannels) {
            for (SelectionKey key : selector.keys()) {
                try {
                    key.channel().close();
                } catch (IOException e) {
                    LOG.debug("error closing {}", key.channel(), e);
                }
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("error closing selector of {}", this, e);
        }
        timers.clear();
    }

    /**
     * Cancels the loop's live coroutines and runs their steps (dropping every other callback) until they
     * have all ended, waiting a bounded time for those that are unmounted in a blocking JDK call.
     */
    private void finishCoroutines() {
        for (CoroutineTask coroutine : liveCoroutines.snapshot()) {
            coroutine.loopClosing();
        }
        long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
        for (;;) {
            runQueuedSteps();
            if (liveCoroutines.size() == 0) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("{} closed with {} coroutines still in blocking calls after {} ms; they finish off the loop: {}",
                        this, liveCoroutines.size(), CLOSE_GRACE_NANOS / 1_000_000L, liveCoroutines.snapshot());
                return;
            }
            if (callbacks.isEmpty()) {
                LockSupport.parkNanos(this, left); // addCoroutineStep unparks this thread
            }
        }
    }

    private void runQueuedSteps() {
        CallbackQueue.Node end = callbacks.batchEnd();
        Runnable task;
        while ((task = callbacks.pollUpTo(end)) != null) {
            if (task instanceof CoroutineTask) {
                runTask(task);
            }
        }
    }

    private void closeLoopLocals() {
        for (Object value : List.copyOf(loopLocals.values())) {
            if (value instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("error closing {} with {}", value, this, e);
                }
            }
        }
        loopLocals.clear();
    }

    /** Whether {@link #close()} was called (true from its start, while it finishes the loop's coroutines). */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "IOLoop-" + id;
    }
}
