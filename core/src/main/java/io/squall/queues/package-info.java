/**
 * Queues that coordinate producer and consumer coroutines (Tornado's {@code tornado.queues}):
 * {@link io.squall.queues.Queue} (FIFO), {@link io.squall.queues.PriorityQueue} (lowest first) and
 * {@link io.squall.queues.LifoQueue} (last in, first out).
 *
 * <p>{@code put} waits while a bounded queue is full and {@code get} while it is empty, both as
 * {@link io.squall.concurrent.Future}s to {@code await}, with optional relative timeouts;
 * {@code taskDone}/{@code join} track when every item has been processed. Like the locks, queues belong
 * to one IOLoop and are not thread-safe.
 *
 * <pre>{@code
 * Queue<String> q = new Queue<>(10);
 * spawn(() -> { while (true) { String item = await(q.get()); handle(item); q.taskDone(); } });
 * await(q.put("job"));
 * await(q.join());
 * }</pre>
 */
package io.squall.queues;
