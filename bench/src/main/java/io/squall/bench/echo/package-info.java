/**
 * The TCP echo benchmark: Squall's and Netty's echo servers, and {@link io.squall.bench.echo.EchoLoad},
 * the load generator that drives either (run by {@code bench/scripts/echo.sh}).
 */
package io.squall.bench.echo;
