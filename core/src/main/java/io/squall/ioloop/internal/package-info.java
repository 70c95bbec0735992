/**
 * Internal: what the event loop and the coroutine layer ({@code io.squall.gen}) share without making it
 * public API: {@link io.squall.ioloop.internal.CoroutineTask}, by which the loop and its blocked-loop
 * watchdog recognise a coroutine step. Not exported from the {@code io.squall.core} module.
 */
package io.squall.ioloop.internal;
