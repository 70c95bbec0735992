/**
 * The HTTP server benchmarks' servers: Squall (framework and static files), Netty and Vert.x answering the
 * same requests, for the load tools of {@code bench/scripts/http.sh} and {@code static.sh}.
 */
package io.squall.bench.http;
