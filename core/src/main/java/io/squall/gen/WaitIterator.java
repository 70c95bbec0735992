package io.squall.gen;

import io.squall.concurrent.Future;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits for several futures and yields their results in the order they complete (Tornado's
 * {@code WaitIterator}).
 *
 * <pre>{@code
 * WaitIterator<Integer, String> it = WaitIterator.of(List.of(f1, f2, f3));
 * while (!it.done()) {
 *     String result = await(it.next());
 *     System.out.println(it.currentKey() + " -> " + result);
 * }
 * }</pre>
 *
 * <p>Futures that are already done come out first, in argument order. {@link #currentKey()} is the
 * list index or map key of the future whose result {@link #next()} delivered last.
 *
 * @param <K> the key type: {@link Integer} indices for a list
 * @param <T> the result type
 */
public final class WaitIterator<K, T> {
    private final Map<Future<? extends T>, K> unfinished = new IdentityHashMap<>();
    private final ArrayDeque<Future<? extends T>> finished = new ArrayDeque<>();
    private Future<T> running;
    private K currentKey;
    private Future<? extends T> currentFuture;

    private WaitIterator(Map<K, ? extends Future<? extends T>> futures) {
        futures.forEach((key, future) -> unfinished.put(future, key));
        for (Future<? extends T> future : futures.values()) {
            future.addDoneCallback(this::onDone);
        }
    }

    /** Iterates over {@code futures}; keys are their indices. */
    public static <T> WaitIterator<Integer, T> of(List<? extends Future<? extends T>> futures) {
        Map<Integer, Future<? extends T>> byIndex = new LinkedHashMap<>();
        for (int i = 0; i < futures.size(); i++) {
            byIndex.put(i, futures.get(i));
        }
        return new WaitIterator<>(byIndex);
    }

    /** Iterates over the values of {@code futures}; keys are the map's keys. */
    public static <K, T> WaitIterator<K, T> of(Map<K, ? extends Future<? extends T>> futures) {
        return new WaitIterator<>(new LinkedHashMap<>(futures));
    }

    /** Whether every result has been delivered by {@link #next()}. */
    public synchronized boolean done() {
        return unfinished.isEmpty() && finished.isEmpty() && (running == null || running.isDone());
    }

    /**
     * A future for the next result to complete: it completes (or fails) like that future.
     *
     * @throws IllegalStateException if the iterator is done or the previous {@code next()} is still pending
     */
    public synchronized Future<T> next() {
        if (running != null && !running.isDone()) {
            throw new IllegalStateException("the previous next() has not completed yet");
        }
        if (unfinished.isEmpty() && finished.isEmpty()) {
            throw new IllegalStateException("WaitIterator is done");
        }
        running = new Future<>();
        if (!finished.isEmpty()) {
            deliver(finished.poll());
        }
        return running;
    }

    /** The key (index) of the future whose result was delivered last, or null before the first. */
    public synchronized K currentKey() {
        return currentKey;
    }

    /** The future whose result was delivered last, or null before the first. */
    public synchronized Future<? extends T> currentFuture() {
        return currentFuture;
    }

    private synchronized void onDone(Future<? extends T> done) {
        if (running != null && !running.isDone() && finished.isEmpty()) {
            deliver(done);
        } else {
            finished.add(done);
        }
    }

    private void deliver(Future<? extends T> done) {
        currentFuture = done;
        currentKey = unfinished.remove(done);
        Future<T> target = running;
        done.chainTo(target);
    }
}
