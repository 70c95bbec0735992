/**
 * Coroutines: {@link io.squall.gen.Coroutines} ({@code spawn}, {@code await}, {@code sleep},
 * {@code moment}, {@code multi}, {@code withTimeout}) and {@link io.squall.gen.WaitIterator}.
 * A coroutine is a virtual thread whose scheduler is its IOLoop.
 */
package io.squall.gen;
