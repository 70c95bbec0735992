/**
 * Internal: what the event loop and the coroutine layer ({@code io.squall.gen}) share without making it
 * public API: {@link io.squall.ioloop.internal.CoroutineTask}, by which the loop and its blocked-loop
 * watchdog recognise a coroutine step, and {@link io.squall.ioloop.internal.LoopCoroutines}, the loop's
 * side of its coroutines (queueing their steps, and registering the live ones so that closing the loop
 * cancels them). Not exported from the {@code io.squall.core} module.
 */
package io.squall.ioloop.internal;
