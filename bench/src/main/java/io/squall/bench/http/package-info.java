/**
 * The HTTP server benchmarks' servers: Squall (framework and static files), Netty and Vert.x answering the
 * same requests, for the load tools of {@code bench/scripts/http.sh} and {@code static.sh}; and
 * {@link io.squall.bench.http.IdleConnections}, which holds idle keep-alive connections to any of them
 * while {@code storm.sh} measures what they cost.
 */
package io.squall.bench.http;
