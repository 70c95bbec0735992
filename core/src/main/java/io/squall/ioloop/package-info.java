/**
 * The event loop: {@link io.squall.ioloop.IOLoop} (callbacks, timers, channel handlers, executor
 * offload, {@code runSync}), {@link io.squall.ioloop.PeriodicCallback}, and the blocked-loop watchdog.
 */
package io.squall.ioloop;
