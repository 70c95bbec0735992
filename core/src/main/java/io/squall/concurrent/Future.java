package io.squall.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result of an asynchronous operation: pending, then completed once with a value or an exception.
 *
 * <p>This is Tornado's (asyncio's) {@code Future}. A coroutine suspends on one with
 * {@code Coroutines.await(future)}; callback-style code uses {@link #addDoneCallback}. Completion is
 * lock-free and may happen on any thread; done callbacks run on the completing thread, in the order
 * they were added, and a callback added to a future that is already done runs at once. Code that must
 * run on a loop thread uses {@code IOLoop.addFuture}, which hops to the loop.
 *
 * <p>{@link #result()} rethrows a failure as it was raised when it is unchecked; a checked exception
 * is wrapped in a {@link CompletionException}, like {@link CompletableFuture#join()}.
 *
 * @param <T> the type of the result
 */
public class Future<T> {
    private static final Logger LOG = LoggerFactory.getLogger(Future.class);
    private static final VarHandle STATE;
    private static final Object NULL_RESULT = new Object();

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Future.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * While pending: {@code null} or the head of a stack of {@link Waiter}s. Once done: a {@link Failure},
     * {@link #NULL_RESULT} or the result itself.
     */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile Object state;

    /** Creates a pending future. */
    public Future() {}

    /** Returns a future already completed with {@code value}. */
    public static <T> Future<T> completed(T value) {
        Future<T> f = new Future<>();
        f.state = value == null ? NULL_RESULT : value;
        return f;
    }

    /** Returns a future already failed with {@code error}. */
    public static <T> Future<T> failed(Throwable error) {
        Future<T> f = new Future<>();
        f.state = new Failure(Objects.requireNonNull(error, "error"));
        return f;
    }

    /**
     * Adapts a {@link CompletionStage}: the returned future completes when the stage does, on the
     * stage's completing thread. A {@link CompletionException} from the stage is unwrapped.
     */
    public static <T> Future<T> from(CompletionStage<T> stage) {
        Future<T> f = new Future<>();
        stage.whenComplete((value, error) -> {
            if (error == null) {
                f.trySetResult(value);
            } else {
                f.trySetException(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        });
        return f;
    }

    // ---------------------------------------------------------------- completion

    /**
     * Completes this future with {@code value}.
     *
     * @throws IllegalStateException if it is already done
     */
    public void setResult(T value) {
        if (!trySetResult(value)) {
            throw new IllegalStateException("Future already done: " + this);
        }
    }

    /**
     * Fails this future with {@code error}.
     *
     * @throws IllegalStateException if it is already done
     */
    public void setException(Throwable error) {
        if (!trySetException(error)) {
            throw new IllegalStateException("Future already done: " + this, error);
        }
    }

    /** Completes this future with {@code value} unless it is already done (e.g. cancelled); returns whether it did. */
    public boolean trySetResult(T value) {
        return complete(value == null ? NULL_RESULT : value);
    }

    /** Fails this future with {@code error} unless it is already done; returns whether it did. */
    public boolean trySetException(Throwable error) {
        return complete(new Failure(Objects.requireNonNull(error, "error")));
    }

    /**
     * Cancels this future: if it is pending, it fails with a {@link CancellationException} and its
     * callbacks run. Subclasses (a coroutine's future) may instead deliver the cancellation to the
     * running code. Returns whether the cancellation was accepted.
     */
    public boolean cancel() {
        return complete(new Failure(new CancellationException("Future cancelled")));
    }

    private boolean complete(Object outcome) {
        Object s;
        do {
            s = state;
            if (isDoneState(s)) {
                return false;
            }
        } while (!STATE.compareAndSet(this, s, outcome));
        runWaiters((Waiter) s);
        return true;
    }

    private void runWaiters(Waiter top) {
        if (top == null) {
            return;
        }
        // The stack holds callbacks newest first; run them in the order they were added.
        Waiter reversed = null;
        for (Waiter w = top; w != null; ) {
            Waiter next = w.next;
            w.next = reversed;
            reversed = w;
            w = next;
        }
        for (Waiter w = reversed; w != null; w = w.next) {
            invoke(w.callback);
        }
    }

    private void invoke(Consumer<? super Future<T>> callback) {
        try {
            callback.accept(this);
        } catch (Throwable t) {
            LOG.error("Exception in done callback of {}", this, t);
        }
    }

    // ---------------------------------------------------------------- callbacks

    /**
     * Runs {@code callback} with this future once it is done: at once (on this thread) if it already
     * is, otherwise on the thread that completes it. An exception from the callback is logged.
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        Waiter w = null;
        for (;;) {
            Object s = state;
            if (isDoneState(s)) {
                invoke(callback);
                return;
            }
            if (w == null) {
                w = new Waiter(callback);
            }
            w.next = (Waiter) s;
            if (STATE.compareAndSet(this, s, w)) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- inspection

    /** Whether this future has completed, with a result, an exception or a cancellation. */
    public boolean isDone() {
        return isDoneState(state);
    }

    /** Whether this future failed with a {@link CancellationException}. */
    public boolean isCancelled() {
        return state instanceof Failure f && f.error instanceof CancellationException;
    }

    /** Whether this future completed with an exception (including cancellation). */
    public boolean isFailed() {
        return state instanceof Failure;
    }

    /**
     * Returns the result, or throws the failure: unchecked exceptions and errors as they were raised,
     * checked ones wrapped in a {@link CompletionException}.
     *
     * @throws IllegalStateException if the future is not done yet
     */
    @SuppressWarnings("unchecked")
    public T result() {
        Object s = state;
        if (!isDoneState(s)) {
            throw new IllegalStateException("Future not done yet: " + this);
        }
        if (s instanceof Failure f) {
            throw rethrowable(f.error);
        }
        return s == NULL_RESULT ? null : (T) s;
    }

    /**
     * Returns the exception this future failed with, or {@code null} if it succeeded.
     *
     * @throws IllegalStateException if the future is not done yet
     */
    public Throwable exception() {
        Object s = state;
        if (!isDoneState(s)) {
            throw new IllegalStateException("Future not done yet: " + this);
        }
        return s instanceof Failure f ? f.error : null;
    }

    /**
     * Returns {@code error} in the form {@link #result()} throws it: itself when unchecked, otherwise
     * wrapped in a {@link CompletionException}. An {@link Error} is thrown rather than returned.
     */
    public static RuntimeException rethrowable(Throwable error) {
        if (error instanceof RuntimeException re) {
            return re;
        }
        if (error instanceof Error e) {
            throw e;
        }
        return new CompletionException(error);
    }

    // ---------------------------------------------------------------- chaining

    /** A future completed with {@code fn} applied to this one's result, or failed like this one. */
    public <U> Future<U> map(Function<? super T, ? extends U> fn) {
        Future<U> out = new Future<>();
        addDoneCallback(f -> {
            Throwable error = f.exception();
            if (error != null) {
                out.trySetException(error);
                return;
            }
            U mapped;
            try {
                mapped = fn.apply(f.result());
            } catch (Throwable t) {
                out.trySetException(t);
                return;
            }
            out.trySetResult(mapped);
        });
        return out;
    }

    /** A future completed like the future {@code fn} returns for this one's result. */
    public <U> Future<U> flatMap(Function<? super T, ? extends Future<U>> fn) {
        Future<U> out = new Future<>();
        addDoneCallback(f -> {
            Throwable error = f.exception();
            if (error != null) {
                out.trySetException(error);
                return;
            }
            try {
                fn.apply(f.result()).chainTo(out);
            } catch (Throwable t) {
                out.trySetException(t);
            }
        });
        return out;
    }

    /**
     * Copies this future's outcome to {@code target} when this one completes (Tornado's
     * {@code chain_future}); a target already done (e.g. cancelled) is left alone.
     */
    public void chainTo(Future<? super T> target) {
        addDoneCallback(f -> {
            Throwable error = f.exception();
            if (error != null) {
                target.trySetException(error);
            } else {
                target.trySetResult(f.result());
            }
        });
    }

    /**
     * Returns a {@link CompletableFuture} completed with this future's outcome. Cancelling the returned
     * stage does not cancel this future.
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        addDoneCallback(f -> {
            Throwable error = f.exception();
            if (error != null) {
                cf.completeExceptionally(error);
            } else {
                cf.complete(f.result());
            }
        });
        return cf;
    }

    @Override
    public String toString() {
        Object s = state;
        String what = !isDoneState(s) ? "pending"
                : s instanceof Failure f ? "failed: " + f.error
                : "done: " + (s == NULL_RESULT ? null : s);
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this)) + "[" + what + "]";
    }

    private static boolean isDoneState(Object s) {
        return s != null && !(s instanceof Waiter);
    }

    private record Failure(Throwable error) {}

    private static final class Waiter {
        final Consumer<Object> callback;
        Waiter next;

        @SuppressWarnings("unchecked")
        Waiter(Consumer<?> callback) {
            this.callback = (Consumer<Object>) callback;
        }
    }
}
