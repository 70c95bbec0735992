package io.squall.gen;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coroutines on the IOLoop: start one with {@link #spawn}, suspend it with {@link #await}, and combine
 * futures with {@link #sleep}, {@link #moment}, {@link #multi} and {@link #withTimeout} (Tornado's
 * {@code gen} module).
 *
 * <p>A coroutine is a virtual thread scheduled by its loop: its code runs one piece at a time with
 * every other callback and coroutine of that loop, switching only where it awaits a future that is not
 * done yet. Code reads like blocking code:
 *
 * <pre>{@code
 * import static io.squall.gen.Coroutines.*;
 *
 * Future<String> page = spawn(() -> {
 *     await(sleep(Duration.ofSeconds(1)));
 *     return "hello";
 * });
 * }</pre>
 *
 * <p>Rules: never await inside a static initializer or a native callback (the virtual thread is
 * pinned there and the loop deadlocks; the loop's watchdog will log it); run blocking file or CPU work
 * with {@link IOLoop#runInExecutor}.
 */
public final class Coroutines {
    private static final Logger LOG = LoggerFactory.getLogger(Coroutines.class);

    private Coroutines() {}

    /** A coroutine body that returns nothing. */
    @FunctionalInterface
    public interface CoroutineBody {
        /** Runs the body; it may {@link #await} and throw. */
        void run() throws Exception;
    }

    /** How coroutines run in this JVM: on the loop thread ({@code LOOP_CARRIER}) or by hand-off. */
    public static CoroutineMode mode() {
        return CoroutineCarriers.MODE;
    }

    /**
     * Starts {@code body} as a coroutine on {@link IOLoop#current()}. It begins on the loop's next
     * iteration; its result or exception completes the returned future and is never thrown here.
     * Cancelling the future delivers a {@link CancellationException} at the coroutine's await.
     */
    public static <T> Future<T> spawn(Callable<T> body) {
        return spawnOn(IOLoop.current(), body);
    }

    /** Starts a coroutine that returns nothing; see {@link #spawn(Callable)}. */
    public static Future<Void> spawn(CoroutineBody body) {
        return spawnOn(IOLoop.current(), asCallable(body));
    }

    /**
     * Starts {@code body} as a coroutine on {@code loop}; safe from any thread. On a closed loop the
     * coroutine ends cancelled without running {@code body}.
     */
    public static <T> Future<T> spawnOn(IOLoop loop, Callable<T> body) {
        Objects.requireNonNull(body, "body");
        Coroutine<T> coroutine = Coroutine.create(Objects.requireNonNull(loop, "loop"), body);
        coroutine.start();
        return coroutine;
    }

    private static Callable<Void> asCallable(CoroutineBody body) {
        Objects.requireNonNull(body, "body");
        return () -> {
            body.run();
            return null;
        };
    }

    /**
     * Makes the calling coroutine run {@code hook} each time just before it suspends in {@link #await}
     * (never when the awaited future is already done), until another hook or null replaces it. For code
     * that batches work while its coroutine runs, such as a connection that queues the answers to
     * pipelined requests and sends them in one system call once it has to wait: the hook finishes the
     * batch. If the hook completes the awaited future, the coroutine goes on without suspending. The
     * hook runs in the coroutine; an await inside it does not run it again.
     *
     * @throws IllegalStateException outside a coroutine
     */
    public static void setSuspendHook(Runnable hook) {
        if (!Coroutine.CURRENT.isBound()) {
            throw new IllegalStateException("setSuspendHook() called outside a coroutine");
        }
        Coroutine.CURRENT.get().setSuspendHook(hook);
    }

    /** Whether the calling code runs inside a coroutine. */
    public static boolean inCoroutine() {
        return Coroutine.CURRENT.isBound();
    }

    /**
     * Waits for {@code future} and returns its result, or throws its exception (unchecked as raised,
     * checked wrapped in {@link java.util.concurrent.CompletionException}).
     *
     * <p>A done future returns at once without yielding. Inside a coroutine, the coroutine suspends
     * and the loop runs other work until the future completes. On another thread, the thread blocks.
     *
     * @throws IllegalStateException if called on a loop ({@link IOLoop#inLoop()}) outside a coroutine,
     *     where waiting would block the loop that must complete the future
     * @throws CancellationException if the coroutine is cancelled while it waits, or its loop is closed
     */
    public static <T> T await(Future<T> future) {
        if (future.isDone()) {
            return future.result();
        }
        if (Coroutine.CURRENT.isBound()) {
            Coroutine.CURRENT.get().suspendUntil(future);
        } else if (IOLoop.currentOrNull() instanceof IOLoop loop && loop.inLoop()) {
            throw new IllegalStateException("await() called on the loop outside a coroutine: it would block "
                    + "the loop forever. Start a coroutine with Coroutines.spawn, or use IOLoop.addFuture.");
        } else {
            blockUntilDone(future);
        }
        return future.result();
    }

    /** Waits for a {@link CompletionStage}, like {@link #await(Future)}. */
    public static <T> T await(CompletionStage<T> stage) {
        return await(Future.from(stage));
    }

    private static void blockUntilDone(Future<?> future) {
        Thread waiter = Thread.currentThread();
        future.addDoneCallback(f -> LockSupport.unpark(waiter));
        while (!future.isDone()) {
            LockSupport.park(future);
            if (Thread.interrupted()) {
                waiter.interrupt();
                throw new CancellationException("interrupted while awaiting " + future);
            }
        }
    }

    /** A future that completes after {@code delay}, on the current loop's timers. */
    public static Future<Void> sleep(Duration delay) {
        Future<Void> f = new Future<>();
        IOLoop.current().callLater(delay, () -> f.trySetResult(null));
        return f;
    }

    /**
     * A future that completes on the loop's next iteration: awaiting it lets every other ready
     * coroutine and callback run once (Tornado's {@code gen.moment}).
     */
    public static Future<Void> moment() {
        Future<Void> f = new Future<>();
        IOLoop.current().addCallback(() -> f.trySetResult(null));
        return f;
    }

    /**
     * Waits for all {@code futures} and completes with their results in order. If any fail, it fails
     * with the first failure in list order once all are done, and logs the other failures.
     */
    public static <T> Future<List<T>> multi(List<? extends Future<? extends T>> futures) {
        return multi(futures, Set.of());
    }

    /** Like {@link #multi(List)}; failures of the {@code quiet} types are not logged. */
    public static <T> Future<List<T>> multi(List<? extends Future<? extends T>> futures,
                                            Set<Class<? extends Throwable>> quiet) {
        List<Future<? extends T>> children = List.copyOf(futures);
        return whenAll(children, quiet, () -> {
            List<T> results = new ArrayList<>(children.size());
            for (Future<? extends T> child : children) {
                results.add(child.result());
            }
            return results;
        });
    }

    /** Waits for all futures of {@code futures} and completes with their results under the same keys, in key order. */
    public static <K, V> Future<Map<K, V>> multi(Map<K, ? extends Future<? extends V>> futures) {
        return multi(futures, Set.of());
    }

    /** Like {@link #multi(Map)}; failures of the {@code quiet} types are not logged. */
    public static <K, V> Future<Map<K, V>> multi(Map<K, ? extends Future<? extends V>> futures,
                                                 Set<Class<? extends Throwable>> quiet) {
        Map<K, Future<? extends V>> children = new LinkedHashMap<>(futures);
        return whenAll(List.copyOf(children.values()), quiet, () -> {
            Map<K, V> results = new LinkedHashMap<>();
            children.forEach((k, f) -> results.put(k, f.result()));
            return results;
        });
    }

    private static <R> Future<R> whenAll(List<? extends Future<?>> children, Set<Class<? extends Throwable>> quiet,
                                         Callable<R> collect) {
        Future<R> out = new Future<>();
        AtomicInteger remaining = new AtomicInteger(children.size() + 1);
        Runnable oneDone = () -> {
            if (remaining.decrementAndGet() != 0) {
                return;
            }
            Throwable first = null;
            for (Future<?> child : children) {
                Throwable error = child.exception();
                if (error == null) {
                    continue;
                }
                if (first == null) {
                    first = error;
                } else if (error != first && !isQuiet(error, quiet)) {
                    LOG.error("Multiple exceptions in yield list", error);
                }
            }
            if (first != null) {
                out.trySetException(first);
                return;
            }
            try {
                out.trySetResult(collect.call());
            } catch (Exception e) {
                out.trySetException(e);
            }
        };
        for (Future<?> child : children) {
            child.addDoneCallback(f -> oneDone.run());
        }
        oneDone.run();
        return out;
    }

    private static boolean isQuiet(Throwable error, Set<Class<? extends Throwable>> quiet) {
        for (Class<? extends Throwable> type : quiet) {
            if (type.isInstance(error)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A future that completes like {@code future}, or fails with {@link OperationTimeoutException}
     * after {@code timeout}. The inner future is not cancelled; if it fails after the timeout, its
     * failure is logged.
     */
    public static <T> Future<T> withTimeout(Duration timeout, Future<T> future) {
        return withTimeout(timeout, future, Set.of());
    }

    /** Like {@link #withTimeout(Duration, Future)}; late failures of the {@code quiet} types are not logged. */
    public static <T> Future<T> withTimeout(Duration timeout, Future<T> future, Set<Class<? extends Throwable>> quiet) {
        if (future.isDone()) {
            return future;
        }
        Future<T> out = new Future<>();
        Timeout timer = IOLoop.current().callLater(timeout, () -> {
            if (out.trySetException(new OperationTimeoutException("Timeout after " + timeout))) {
                future.addDoneCallback(late -> {
                    Throwable error = late.exception();
                    if (error != null && !isQuiet(error, quiet)) {
                        LOG.error("Exception in Future {} after timeout", late, error);
                    }
                });
            }
        });
        future.addDoneCallback(f -> {
            timer.cancel();
            f.chainTo(out);
        });
        return out;
    }

}
