/**
 * Synchronisation primitives for coroutines (Tornado's {@code tornado.locks}):
 * {@link io.squall.locks.Condition}, {@link io.squall.locks.Event}, {@link io.squall.locks.Semaphore},
 * {@link io.squall.locks.BoundedSemaphore} and {@link io.squall.locks.Lock}.
 *
 * <p>They coordinate coroutines of one IOLoop, not threads: waiting returns a
 * {@link io.squall.concurrent.Future} to {@code await}, never blocks a thread, and the objects are not
 * thread-safe. Waiters are served in FIFO order. Every wait has a variant with a relative
 * {@link java.time.Duration} timeout, timed on {@link io.squall.ioloop.IOLoop#current()}; a zero timeout
 * answers at once. {@link io.squall.locks.Semaphore#acquire()} and {@link io.squall.locks.Lock#acquire()}
 * give a {@link io.squall.locks.Permit} for try-with-resources:
 *
 * <pre>{@code
 * try (var _ = await(lock.acquire(Duration.ofSeconds(1)))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>To give up a wait, cancel the future it returned: cancelled waiters are skipped, so they take no
 * signal, permit or item. Cancelling the coroutine that awaits such a future cancels the future too,
 * so a cancelled coroutine never ends up holding a permit.
 *
 * <p>The waiter machinery they share, also used by {@code io.squall.queues}, is the internal
 * {@code io.squall.locks.internal.WaiterQueue}.
 */
package io.squall.locks;
