/**
 * Streams over non-blocking sockets (Tornado's {@code iostream} module).
 *
 * <p>{@link io.squall.iostream.IOStream} reads ({@code readBytes}, {@code readUntil},
 * {@code readUntilRegex}, {@code readInto}, {@code readUntilClose}) and writes a TCP or Unix-domain
 * {@link java.nio.channels.SocketChannel} with futures, on one {@link io.squall.ioloop.IOLoop};
 * {@link io.squall.iostream.SslIOStream} does the same over TLS with an {@link javax.net.ssl.SSLEngine},
 * and {@code IOStream.startTls} upgrades a plain stream (STARTTLS). Limits live in
 * {@link io.squall.iostream.IOStreamOptions}; failures are {@link io.squall.iostream.StreamClosedError}
 * (with the real cause), {@link io.squall.iostream.StreamBufferFullError} and
 * {@link io.squall.iostream.UnsatisfiableReadError}.
 */
package io.squall.iostream;
