/**
 * Internal: {@link io.squall.locks.internal.WaiterQueue}, the FIFO of pending waits with deadlines that
 * the primitives of {@code io.squall.locks} and the queues of {@code io.squall.queues} share (Tornado's
 * {@code _TimeoutGarbageCollector}). Not exported from the {@code io.squall.core} module.
 */
package io.squall.locks.internal;
