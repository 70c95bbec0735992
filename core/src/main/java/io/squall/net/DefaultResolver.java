package io.squall.net;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Resolves names with the JDK ({@link InetAddress#getAllByName}) on an executor, so that a slow lookup
 * never blocks the loop (Tornado's {@code DefaultExecutorResolver}); the result is delivered on the
 * loop that called {@link #resolve}.
 *
 * <p>IP literals resolve at once, without a lookup or an executor hop. The order of the addresses is
 * the JDK's: IPv4 first unless the {@code java.net.preferIPv6Addresses} system property says
 * otherwise ({@code true}, or {@code system} for the operating system's order). Lookups use the JDK's
 * resolver and its cache ({@code networkaddress.cache.ttl}).
 */
public final class DefaultResolver implements Resolver {
    private final Executor executor;

    /** A resolver that runs lookups on the loop's default executor ({@link IOLoop#runInExecutor}). */
    public DefaultResolver() {
        this(null);
    }

    /**
     * A resolver that runs lookups on {@code executor}; null means the loop's default executor. The
     * executor is not owned: {@link #close()} leaves it alone.
     */
    public DefaultResolver(Executor executor) {
        this.executor = executor;
    }

    /** {@inheritDoc} An empty host name fails with an {@link UnknownHostException}. */
    @Override
    public Future<List<InetSocketAddress>> resolve(String host, int port, AddressFamily family) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(family, "family");
        NetUtil.checkPort(port);
        if (host.isEmpty()) {
            return Future.failed(new UnknownHostException("empty host name"));
        }
        if (NetUtil.parseIpLiteral(host) != null) {
            try {
                return Future.completed(withPort(NetUtil.lookup(host, family), port));
            } catch (UnknownHostException e) {
                return Future.failed(e);
            }
        }
        return IOLoop.current().runInExecutor(executor, () -> withPort(NetUtil.lookup(host, family), port));
    }

    private static List<InetSocketAddress> withPort(List<InetAddress> addresses, int port) {
        return addresses.stream().map(a -> new InetSocketAddress(a, port)).toList();
    }
}
