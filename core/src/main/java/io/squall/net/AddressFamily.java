package io.squall.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.Objects;

/**
 * The address family a caller asks for when resolving or binding (the {@code AF_*} argument of
 * Tornado's {@code resolve} and {@code bind_sockets}).
 */
public enum AddressFamily {
    /** Any family: IPv4 and IPv6 addresses alike. */
    UNSPEC,
    /** IPv4 only. */
    INET,
    /** IPv6 only. */
    INET6;

    /** The family of {@code address}: {@link #INET6} for an {@link Inet6Address}, otherwise {@link #INET}. */
    public static AddressFamily of(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return address instanceof Inet6Address ? INET6 : INET;
    }

    /** Whether {@code address} belongs to this family; every address belongs to {@link #UNSPEC}. */
    public boolean includes(InetAddress address) {
        return this == UNSPEC || this == of(address);
    }

    /**
     * The NIO protocol family to open a channel of this family with.
     *
     * @throws IllegalStateException for {@link #UNSPEC}, which is not a concrete family
     */
    public StandardProtocolFamily protocolFamily() {
        return switch (this) {
            case INET -> StandardProtocolFamily.INET;
            case INET6 -> StandardProtocolFamily.INET6;
            case UNSPEC -> throw new IllegalStateException("UNSPEC is not a concrete protocol family");
        };
    }
}
