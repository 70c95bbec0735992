/**
 * What the Netty peers of the benchmarks share: {@link io.squall.bench.netty.NettyTransport}, the choice
 * between Netty's native epoll transport and its NIO one.
 */
package io.squall.bench.netty;
