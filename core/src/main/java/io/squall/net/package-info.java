/**
 * Networking building blocks below the stream layer (Tornado's {@code netutil} and the connection
 * algorithm of {@code tcpclient}).
 *
 * <ul>
 *   <li>{@link io.squall.net.Resolver}: asynchronous name resolution, with
 *       {@link io.squall.net.DefaultResolver} (the JDK resolver on an executor, never on the loop) and
 *       {@link io.squall.net.OverrideResolver} (a fixed mapping in front of another resolver).</li>
 *   <li>{@link io.squall.net.NetUtil}: listening sockets ({@code bindSockets}, {@code bindUnixSocket}),
 *       the accept handler that feeds new connections to a callback, and {@code isValidIp}.</li>
 *   <li>{@link io.squall.net.HappyEyeballsConnector}: the RFC 6555 dual-stack connection race, generic
 *       over the connection type.</li>
 *   <li>{@link io.squall.net.ConnectTimeoutException}: a connection could not be set up in time.</li>
 * </ul>
 *
 * <p>Like everything loop-owned in Squall, these objects are used from the callbacks and coroutines of
 * one {@link io.squall.ioloop.IOLoop}; they are not thread-safe.
 */
package io.squall.net;
