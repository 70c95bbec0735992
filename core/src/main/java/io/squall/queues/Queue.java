package io.squall.queues;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.locks.internal.WaiterQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A FIFO queue that coordinates producer and consumer coroutines (Tornado's {@code Queue}).
 *
 * <p>With a {@code maxsize} above zero, {@link #put} waits while the queue is full, which gives producers
 * back-pressure; {@link #get} waits while it is empty. Waiting producers and consumers are served in FIFO
 * order: an item put while consumers wait goes straight to the longest-waiting one, and a get from a full
 * queue lets the longest-waiting producer's item in. Every wait has a variant with a relative timeout that
 * fails with {@link OperationTimeoutException}; a zero timeout fails at once if the operation cannot
 * complete immediately. Timed-out producers and consumers are dropped on later puts and gets.
 *
 * <p>{@link #taskDone()} and {@link #join()} let a producer wait until every item it put has been
 * processed. Items must not be null. Not thread-safe: use a queue from the callbacks and coroutines of one
 * loop. Subclasses choose the order in which items come out by passing their storage to
 * {@link #Queue(int, java.util.Queue)}.
 *
 * @param <T> the type of the items
 */
public class Queue<T> {
    private final int maxsize;
    private final java.util.Queue<T> items;
    private final WaiterQueue<Future<T>> getters = new WaiterQueue<>(WaiterQueue.failWithTimeout("Queue.get"));
    private final WaiterQueue<Putter<T>> putters = new WaiterQueue<>(WaiterQueue.failWithTimeout("Queue.put"));
    private final WaiterQueue<Future<Void>> joiners = new WaiterQueue<>(WaiterQueue.failWithTimeout("Queue.join"));
    private int unfinishedTasks;

    /** Creates an unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * Creates a queue that holds at most {@code maxsize} items; 0 means unbounded.
     *
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public Queue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    /**
     * Creates a queue that keeps its items in {@code storage}, whose {@code add} and {@code poll} decide
     * the order items come out in (Tornado's {@code _init}, {@code _put} and {@code _get} hooks). The queue
     * takes ownership of the storage, which must be empty.
     *
     * @throws IllegalArgumentException if {@code maxsize} is negative or {@code storage} is not empty
     */
    protected Queue(int maxsize, java.util.Queue<T> storage) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must be >= 0 (0 = unbounded), got " + maxsize);
        }
        if (!Objects.requireNonNull(storage, "storage").isEmpty()) {
            throw new IllegalArgumentException("queue storage must start empty");
        }
        this.maxsize = maxsize;
        this.items = storage;
    }

    /** The most items the queue holds; 0 means unbounded. */
    public int maxsize() {
        return maxsize;
    }

    /** The number of items in the queue. */
    public int size() {
        return items.size();
    }

    /** Whether the queue holds no item. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** Whether the queue is bounded and holds {@link #maxsize()} items. */
    public boolean isFull() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    // ------------------------------------------------------------------ put

    /**
     * Puts {@code item} in the queue, waiting for room if it is full: the future is already done if the
     * item went in at once, and otherwise resolves when a {@link #get} makes room for it.
     *
     * @throws NullPointerException if {@code item} is null
     */
    public Future<Void> put(T item) {
        return putWithin(item, null);
    }

    /**
     * Like {@link #put(Object)}, but the future fails with an {@link OperationTimeoutException} if there is
     * no room within {@code timeout}, and the item is then not put; a zero timeout fails at once when the
     * queue is full.
     */
    public Future<Void> put(T item, Duration timeout) {
        return putWithin(item, Objects.requireNonNull(timeout, "timeout"));
    }

    private Future<Void> putWithin(T item, Duration timeoutOrNull) {
        Objects.requireNonNull(item, "item");
        if (offer(item)) {
            return Future.completed(null);
        }
        return putters.add(new Putter<>(item), timeoutOrNull);
    }

    /**
     * Puts {@code item} in the queue without waiting; if consumers are waiting, the longest-waiting one
     * gets it.
     *
     * @throws QueueFullException if the queue is full
     * @throws NullPointerException if {@code item} is null
     */
    public void putNowait(T item) {
        Objects.requireNonNull(item, "item");
        if (!offer(item)) {
            throw new QueueFullException("queue is full (maxsize " + maxsize + ")");
        }
    }

    /** Hands {@code item} to the first waiting getter, or stores it if there is room; false if full. */
    private boolean offer(T item) {
        for (Future<T> getter; (getter = getters.poll()) != null; ) {
            // Getters wait only while the queue is empty, so the item goes straight to the first one.
            unfinishedTasks++;
            if (getter.trySetResult(item)) {
                return true;
            }
            unfinishedTasks--;
        }
        if (isFull()) {
            return false;
        }
        items.add(item);
        unfinishedTasks++;
        return true;
    }

    // ------------------------------------------------------------------ get

    /**
     * Removes and returns an item, waiting for one if the queue is empty: the future is already done if an
     * item was there, and otherwise resolves with the next item put.
     */
    public Future<T> get() {
        return getWithin(null);
    }

    /**
     * Like {@link #get()}, but the future fails with an {@link OperationTimeoutException} if no item comes
     * within {@code timeout}; a zero timeout fails at once when the queue is empty.
     */
    public Future<T> get(Duration timeout) {
        return getWithin(Objects.requireNonNull(timeout, "timeout"));
    }

    private Future<T> getWithin(Duration timeoutOrNull) {
        T item = take();
        return item != null ? Future.completed(item) : getters.add(new Future<>(), timeoutOrNull);
    }

    /**
     * Removes and returns an item without waiting.
     *
     * @throws QueueEmptyException if the queue is empty
     */
    public T getNowait() {
        T item = take();
        if (item == null) {
            throw new QueueEmptyException("queue is empty");
        }
        return item;
    }

    /** Removes the next item, first letting the first waiting putter's item in; null if empty. */
    private T take() {
        for (Putter<T> putter; (putter = putters.poll()) != null; ) {
            // Putters wait only while the queue is full: the first one's item takes the slot about to free.
            if (putter.trySetResult(null)) {
                items.add(putter.item);
                unfinishedTasks++;
                break;
            }
        }
        return items.poll();
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Marks one item obtained by a get as processed. When every item put has been marked, {@link #join()}
     * resolves.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times");
        }
        if (--unfinishedTasks == 0) {
            for (Future<Void> joiner : joiners.poll(Integer.MAX_VALUE)) {
                joiner.trySetResult(null);
            }
        }
    }

    /** Returns a future that resolves when every item put has been marked {@link #taskDone() done}. */
    public Future<Void> join() {
        return joinWithin(null);
    }

    /**
     * Like {@link #join()}, but the future fails with an {@link OperationTimeoutException} if items are
     * still unfinished after {@code timeout}; a zero timeout fails at once if any is.
     */
    public Future<Void> join(Duration timeout) {
        return joinWithin(Objects.requireNonNull(timeout, "timeout"));
    }

    private Future<Void> joinWithin(Duration timeoutOrNull) {
        return unfinishedTasks == 0 ? Future.completed(null) : joiners.add(new Future<>(), timeoutOrNull);
    }

    // ------------------------------------------------------------------ inspection

    /** Queued getters, including timed-out ones not yet dropped (for tests). */
    int getterCount() {
        return getters.size();
    }

    /** Queued putters, including timed-out ones not yet dropped (for tests). */
    int putterCount() {
        return putters.size();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName())
                .append("[maxsize=").append(maxsize).append(", size=").append(items.size());
        if (getters.size() > 0) {
            sb.append(", getters=").append(getters.size());
        }
        if (putters.size() > 0) {
            sb.append(", putters=").append(putters.size());
        }
        if (unfinishedTasks > 0) {
            sb.append(", tasks=").append(unfinishedTasks);
        }
        return sb.append(']').toString();
    }

    /** A producer waiting for room: the future of its put, carrying the item to let in. */
    private static final class Putter<T> extends Future<Void> {
        final T item;

        Putter(T item) {
            this.item = item;
        }
    }
}
