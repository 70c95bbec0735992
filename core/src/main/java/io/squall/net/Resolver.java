package io.squall.net;

import io.squall.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Asynchronous name resolution (Tornado's {@code Resolver}).
 *
 * <p>{@link #resolve} never blocks the calling loop: the returned future completes on the loop with
 * the addresses of the host, each with the requested port and in the order the resolver gives them
 * (the first one decides which family {@link HappyEyeballsConnector} tries first). A host that cannot
 * be resolved fails the future with a {@link java.net.UnknownHostException}. Call it from a callback
 * or coroutine of the loop that should receive the result.
 */
public interface Resolver extends AutoCloseable {
    /**
     * Resolves {@code host} to socket addresses with {@code port}, keeping only addresses of
     * {@code family}. An IP literal resolves to itself without any lookup.
     *
     * @param host a host name or an IP literal
     * @param port the port to put into every address, 0 to 65535
     * @param family the family to keep; {@link AddressFamily#UNSPEC} keeps all
     * @return a future with a non-empty list of resolved addresses, or failed with an
     *     {@link java.net.UnknownHostException}
     * @throws IllegalArgumentException if the port is out of range
     */
    Future<List<InetSocketAddress>> resolve(String host, int port, AddressFamily family);

    /** Same as {@link #resolve(String, int, AddressFamily)} with {@link AddressFamily#UNSPEC}. */
    default Future<List<InetSocketAddress>> resolve(String host, int port) {
        return resolve(host, port, AddressFamily.UNSPEC);
    }

    /** Releases what this resolver owns; the default does nothing. */
    @Override
    default void close() {}
}
