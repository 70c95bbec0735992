/**
 * TCP servers and clients, and the networking utilities below them (Tornado's {@code netutil},
 * {@code tcpserver} and {@code tcpclient}).
 *
 * <ul>
 *   <li>{@link io.squall.net.TcpServer}: accepts connections on one loop or on N loops sharing a port,
 *       and serves each with a {@link io.squall.net.StreamHandler} in a coroutine of its own.</li>
 *   <li>{@link io.squall.net.TcpClient}: opens connections (resolution off the loop, the Happy Eyeballs
 *       race of {@link io.squall.net.HappyEyeballsConnector}, optional TLS) under one deadline, configured
 *       by {@link io.squall.net.ConnectOptions}; {@link io.squall.net.ConnectTimeoutException} names the
 *       phase that ran out of time.</li>
 *   <li>{@link io.squall.net.Resolver}: asynchronous name resolution, with
 *       {@link io.squall.net.DefaultResolver} (the JDK resolver on an executor, never on the loop) and
 *       {@link io.squall.net.OverrideResolver} (a fixed mapping in front of another resolver).</li>
 *   <li>{@link io.squall.net.NetUtil}: listening sockets ({@code bindSockets}, {@code bindUnixSocket}),
 *       the accept handler that feeds new connections to a callback, and {@code isValidIp}.</li>
 * </ul>
 *
 * <p>Like everything loop-owned in Squall, these objects are used from the callbacks and coroutines of
 * one {@link io.squall.ioloop.IOLoop}; they are not thread-safe.
 */
package io.squall.net;
