/**
 * The programs behind {@code ./squall}: the demo app ({@link io.squall.examples.DemoApp}, served by
 * {@link io.squall.examples.DemoServer}) and its upload form and site, Tornado's coroutine and parallel
 * walk-throughs ({@link io.squall.examples.CoroutinesExample}, {@link io.squall.examples.ParallelExample}),
 * the raw-stream client ({@link io.squall.examples.RawClientExample}) and the concurrent fetcher
 * ({@link io.squall.examples.FetchExample}), dispatched by {@link io.squall.examples.Main}; and
 * {@link io.squall.examples.ModulePathCheck}, which runs Squall as named modules.
 */
package io.squall.examples;
