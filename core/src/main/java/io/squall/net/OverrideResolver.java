package io.squall.net;

import io.squall.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves some hosts (or host and port pairs) to fixed replacements and hands everything to another
 * resolver (Tornado's {@code OverrideResolver}). Useful for tests, local development, and pinning a
 * name to an address.
 *
 * <p>Mapping keys are {@code "host"} or {@code "host:port"}; values are {@code "host"} or
 * {@code "host:port"}. An IPv6 literal with a port is written in brackets: {@code "[::1]:8080"}; one
 * without a port may be bare or bracketed. A {@code host:port} key wins over a {@code host} key. The
 * replacement is then resolved by the delegate: with the value's port if it has one, otherwise with
 * the requested port.
 *
 * <pre>{@code
 * Resolver resolver = new OverrideResolver(new DefaultResolver(), Map.of(
 *         "example.com", "127.0.0.1",                 // any port of example.com
 *         "example.com:443", "127.0.0.1:8443"));      // this one port
 * }</pre>
 *
 * <p>Host names are compared case-insensitively and IP literals by address, so {@code "::1"} and
 * {@code "[0:0:0:0:0:0:0:1]"} are the same key.
 */
public final class OverrideResolver implements Resolver {
    private final Resolver delegate;
    private final Map<HostPort, HostPort> mapping = new HashMap<>();

    /**
     * Creates the resolver.
     *
     * @param delegate the resolver that resolves everything, replacements included; closed by
     *     {@link #close()}
     * @param mapping keys and values as described in the class documentation
     * @throws IllegalArgumentException if a key or value is malformed (empty host, bad port)
     */
    public OverrideResolver(Resolver delegate, Map<String, String> mapping) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        mapping.forEach((key, value) -> this.mapping.put(HostPort.parse(key), HostPort.parse(value)));
    }

    @Override
    public Future<List<InetSocketAddress>> resolve(String host, int port, AddressFamily family) {
        Objects.requireNonNull(host, "host");
        NetUtil.checkPort(port);
        String normalized = HostPort.normalizeHost(host);
        HostPort target = mapping.get(new HostPort(normalized, port));
        if (target == null) {
            target = mapping.get(new HostPort(normalized, HostPort.NO_PORT));
        }
        if (target == null) {
            return delegate.resolve(host, port, family);
        }
        return delegate.resolve(target.host(), target.port() == HostPort.NO_PORT ? port : target.port(), family);
    }

    /** Closes the delegate. */
    @Override
    public void close() {
        delegate.close();
    }

    /** A mapping key or value: a normalized host and a port or {@link #NO_PORT}. */
    private record HostPort(String host, int port) {
        static final int NO_PORT = -1;

        static HostPort parse(String text) {
            Objects.requireNonNull(text, "mapping entry");
            String host = text;
            int port = NO_PORT;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0 || close != text.length() - 1 && text.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("malformed bracketed address: \"" + text + "\"");
                }
                host = text.substring(1, close);
                if (close != text.length() - 1) {
                    port = parsePort(text, text.substring(close + 2));
                }
            } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                int colon = text.indexOf(':');
                host = text.substring(0, colon);
                port = parsePort(text, text.substring(colon + 1));
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host in \"" + text + "\"");
            }
            return new HostPort(normalizeHost(host), port);
        }

        private static int parsePort(String text, String port) {
            try {
                int value = Integer.parseInt(port);
                NetUtil.checkPort(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad port in \"" + text + "\": " + e.getMessage(), e);
            }
        }

        /** IP literals in one canonical form, names in lower case; brackets are dropped. */
        static String normalizeHost(String host) {
            InetAddress literal = NetUtil.parseIpLiteral(host);
            return literal != null ? literal.getHostAddress() : host.toLowerCase(Locale.ROOT);
        }
    }
}
