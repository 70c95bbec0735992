/**
 * JMH micro-benchmarks of the loop: an await round trip, callbacks handed in from other threads, and
 * timer scheduling ({@code ./squall bench micro}).
 */
package io.squall.bench.micro;
