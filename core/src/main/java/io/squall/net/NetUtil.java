package io.squall.net;

import com.sun.management.UnixOperatingSystemMXBean;
import io.squall.ioloop.IOLoop;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listening sockets and the accept loop (Tornado's {@code netutil}).
 *
 * <p>Typical server setup, done before or on the loop:
 *
 * <pre>{@code
 * List<ServerSocketChannel> servers = NetUtil.bindSockets(8888, null);
 * for (ServerSocketChannel server : servers) {
 *     NetUtil.addAcceptHandler(loop, server, (channel, remote) -> handle(channel));
 * }
 * }</pre>
 *
 * <p><b>IPv6 and the wildcard address.</b> Tornado binds one socket per family, setting
 * {@code IPV6_V6ONLY} so that {@code 0.0.0.0} and {@code ::} can share a port. The JDK offers no way to
 * set {@code IPV6_V6ONLY}: it clears it on every IPv6 socket, so a socket bound to {@code ::} is
 * dual-stack and accepts IPv4 connections too (their remote address is an {@link Inet4Address}), and
 * {@code 0.0.0.0} on the same port then fails with "Address already in use". So binding the wildcard
 * address gives <em>one</em> dual-stack socket on {@code ::} where IPv6 is available, and one IPv4
 * socket on {@code 0.0.0.0} otherwise. Specific addresses get one socket each (for example
 * {@code 127.0.0.1} and {@code ::1} for {@code "localhost"}), and port 0 gives all of them the same
 * port.
 */
public final class NetUtil {
    /**
     * Listen backlog used when none is given: 8192 pending connections, enough for a burst of
     * thousands of simultaneous connects. Tornado uses 128. The kernel may cap it: on Linux the
     * effective backlog is {@code min(backlog, net.core.somaxconn)} (see {@link #kernelBacklogLimit()};
     * 4096 by default since Linux 5.4, 128 before), so raise that sysctl to get more.
     */
    public static final int DEFAULT_BACKLOG = 8192;

    /**
     * Connections accepted per readiness event at most (Tornado's {@code _DEFAULT_BACKLOG}, 128), so
     * that a flood of connects cannot starve the loop's other work.
     */
    public static final int ACCEPTS_PER_EVENT = 128;

    private static final boolean REUSE_PORT_SUPPORTED = probeReusePort();

    private static final Logger LOG = LoggerFactory.getLogger(NetUtil.class);
    private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");
    private static final Set<PosixFilePermission> UNIX_SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private NetUtil() {}

    // ------------------------------------------------------------------ TCP listening sockets

    /**
     * Same as {@link #bindSockets(int, String, AddressFamily, int, boolean)} with any family, the
     * {@linkplain #DEFAULT_BACKLOG default backlog} and no {@code SO_REUSEPORT}.
     */
    public static List<ServerSocketChannel> bindSockets(int port, String address) throws IOException {
        return bindSockets(port, address, AddressFamily.UNSPEC, DEFAULT_BACKLOG, false);
    }

    /** Same as {@link #bindSockets(int, String, AddressFamily, int, boolean)} with any family. */
    public static List<ServerSocketChannel> bindSockets(int port, String address, int backlog, boolean reusePort)
            throws IOException {
        return bindSockets(port, address, AddressFamily.UNSPEC, backlog, reusePort);
    }

    /**
     * Creates listening sockets bound to {@code port} on {@code address}, one per resolved address.
     *
     * <p>{@code address} is an IP literal or a host name; a name is resolved with a blocking lookup
     * (this method is meant for startup, before the loop runs or off the loop) and every address of
     * {@code family} gets a socket, IPv4 first. A null or empty address means all interfaces (see the
     * class documentation for the dual-stack socket this gives). Each socket has {@code SO_REUSEADDR}
     * on, {@code SO_REUSEPORT} on if asked, and is non-blocking. With port 0 the first socket gets a
     * free port and the others are bound to the same one. If a name such as {@code "localhost"}
     * resolves to an IPv6 address that cannot be bound (IPv6 half-disabled, as in some containers),
     * that address is skipped with a warning as long as another one was bound.
     *
     * @param port 0 to 65535; 0 picks a free port
     * @param address the host or IP to bind; null or empty for all interfaces
     * @param family the family to bind; {@link AddressFamily#UNSPEC} for all
     * @param backlog the listen backlog passed to the kernel (which may cap it, see
     *     {@link #DEFAULT_BACKLOG}); 0 or less means the JDK's default
     * @param reusePort whether to set {@code SO_REUSEPORT} so several sockets (processes) can share the
     *     port
     * @return the bound sockets, never empty; the caller owns and closes them
     * @throws UnknownHostException if {@code address} has no address of {@code family}
     * @throws UnsupportedOperationException if {@code reusePort} is set and the platform lacks
     *     {@code SO_REUSEPORT}
     * @throws IOException if a socket cannot be bound (then none is left open)
     */
    public static List<ServerSocketChannel> bindSockets(int port, String address, AddressFamily family,
                                                        int backlog, boolean reusePort) throws IOException {
        checkPort(port);
        Objects.requireNonNull(family, "family");
        if (address == null || address.isEmpty()) {
            return bindAll(List.of(wildcard(family)), port, backlog, reusePort, false);
        }
        return bindAll(lookup(address, family), port, backlog, reusePort, parseIpLiteral(address) == null);
    }

    /**
     * Creates one listening socket per address in {@code addresses}, all on {@code port}, with the
     * options of {@link #bindSockets(int, String, AddressFamily, int, boolean)}. Duplicates are bound
     * once; IPv4 addresses come first. If both wildcard addresses are given, the IPv4 one is dropped:
     * the dual-stack {@code ::} socket already covers it.
     *
     * @return the bound sockets, in the order bound; the caller owns and closes them
     * @throws IOException if a socket cannot be bound (then none is left open)
     */
    public static List<ServerSocketChannel> bindSockets(int port, Collection<? extends InetAddress> addresses,
                                                        int backlog, boolean reusePort) throws IOException {
        checkPort(port);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to bind");
        }
        return bindAll(addresses, port, backlog, reusePort, false);
    }

    private static List<ServerSocketChannel> bindAll(Collection<? extends InetAddress> requested, int port,
                                                     int backlog, boolean reusePort, boolean resolvedName)
            throws IOException {
        logBacklogCap(backlog);
        LinkedHashSet<InetAddress> unique = new LinkedHashSet<>(requested);
        if (unique.stream().anyMatch(a -> a instanceof Inet6Address && a.isAnyLocalAddress())) {
            unique.removeIf(a -> a instanceof Inet4Address && a.isAnyLocalAddress());
        }
        List<InetAddress> addresses = unique.stream()
                .sorted(Comparator.comparing(a -> a instanceof Inet6Address)) // stable: IPv4 first
                .toList();
        List<ServerSocketChannel> bound = new ArrayList<>();
        BindException skipped = null;
        int boundPort = port;
        try {
            for (InetAddress address : addresses) {
                ServerSocketChannel channel;
                try {
                    channel = bindOne(new InetSocketAddress(address, boundPort), backlog, reusePort);
                } catch (BindException e) {
                    if (!(resolvedName && address instanceof Inet6Address && address.isLoopbackAddress())) {
                        throw e;
                    }
                    skipped = e;
                    continue;
                }
                bound.add(channel);
                boundPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            }
        } catch (IOException | RuntimeException e) {
            closeAll(bound);
            throw e;
        }
        if (bound.isEmpty()) {
            throw skipped; // the only address was the unbindable IPv6 loopback
        }
        if (skipped != null) {
            LOG.warn("IPv6 loopback resolved but cannot be bound ({}); listening on {} only",
                    skipped.getMessage(), localAddresses(bound));
        }
        return bound;
    }

    private static ServerSocketChannel bindOne(InetSocketAddress address, int backlog, boolean reusePort)
            throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(AddressFamily.of(address.getAddress()).protocolFamily());
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this platform");
                }
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.configureBlocking(false);
            channel.bind(address, backlog);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (e instanceof BindException be) {
                BindException detailed = new BindException(be.getMessage() + ": " + address);
                detailed.initCause(be);
                throw detailed;
            }
            throw e;
        }
    }

    private static InetAddress wildcard(AddressFamily family) {
        boolean v6 = switch (family) {
            case INET -> false;
            case INET6 -> true;
            case UNSPEC -> Ipv6.AVAILABLE;
        };
        return v6 ? InetAddress.ofLiteral("::") : InetAddress.ofLiteral("0.0.0.0");
    }

    /** Whether this host can open IPv6 sockets, probed once. */
    private static final class Ipv6 {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try (ServerSocketChannel ignored = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
                return true;
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
    }

    /**
     * The kernel's cap on listen backlogs: {@code net.core.somaxconn}, read from
     * {@code /proc/sys/net/core/somaxconn}, or empty where that file does not exist (non-Linux) or
     * cannot be read. A backlog above it is silently lowered to it by the kernel.
     */
    public static OptionalInt kernelBacklogLimit() {
        try {
            // Read line-wise: /proc files report size 0, and a single sized read may return a prefix.
            try (var reader = Files.newBufferedReader(SOMAXCONN)) {
                String line = reader.readLine();
                return line == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(line.strip()));
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalInt.empty();
        }
    }

    private static void logBacklogCap(int backlog) {
        if (LOG.isDebugEnabled()) {
            kernelBacklogLimit().ifPresent(limit -> {
                if (backlog > limit) {
                    LOG.debug("listen backlog {} is capped by the kernel to net.core.somaxconn = {}", backlog, limit);
                }
            });
        }
    }

    // ------------------------------------------------------------------ Unix domain sockets

    /**
     * Same as {@link #bindUnixSocket(Path, Set, int)} with mode {@code 0600} ({@code rw-------}), as
     * Tornado.
     */
    public static ServerSocketChannel bindUnixSocket(Path path, int backlog) throws IOException {
        return bindUnixSocket(path, UNIX_SOCKET_MODE, backlog);
    }

    /**
     * Creates a non-blocking listening Unix domain socket at {@code path}. A socket file left at that
     * path (by a server that did not clean up) is deleted first; any other file there is an error. The
     * file gets {@code permissions} where the file system supports POSIX permissions. Linux's abstract
     * namespace is not supported (the JDK has no way to bind it).
     *
     * @throws IllegalArgumentException if a file that is not a socket exists at {@code path}
     * @throws IOException if the socket cannot be created or bound
     */
    public static ServerSocketChannel bindUnixSocket(Path path, Set<PosixFilePermission> permissions, int backlog)
            throws IOException {
        Objects.requireNonNull(permissions, "permissions");
        deleteStaleSocket(path);
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.configureBlocking(false);
            channel.bind(UnixDomainSocketAddress.of(path), backlog);
            if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(path, permissions);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void deleteStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocketFile(path)) {
            throw new IllegalArgumentException("File " + path + " exists and is not a socket");
        }
        Files.delete(path);
    }

    private static boolean isSocketFile(Path path) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // no "unix" attribute view (e.g. Windows): "other" is as close as it gets
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        }
    }

    // ------------------------------------------------------------------ accepting

    /**
     * Accepts connections on {@code server} from {@code loop}: whenever it is ready, up to
     * {@link #ACCEPTS_PER_EVENT} pending connections are accepted and passed, switched to non-blocking
     * mode, to {@code callback} with their remote address. Other socket options ({@code TCP_NODELAY}…)
     * are left to the callback. The callback owns the channel; if it throws, the error is logged and
     * the channel closed. If {@code accept()} itself fails (for example "Too many open files"),
     * accepting pauses for a second rather than spinning on the error.
     *
     * <p>Call it on the loop's thread (or before the loop runs); the same goes for the returned remover,
     * which stops accepting (idempotent; it does not close {@code server}).
     *
     * @return a remover that stops accepting
     */
    public static Runnable addAcceptHandler(IOLoop loop, ServerSocketChannel server,
                                            BiConsumer<SocketChannel, SocketAddress> callback) {
        return addAcceptHandler(loop, server, callback, null);
    }

    /** {@link #addAcceptHandler(IOLoop, ServerSocketChannel, BiConsumer)} within {@code limit} (null: none). */
    static Runnable addAcceptHandler(IOLoop loop, ServerSocketChannel server,
                                     BiConsumer<SocketChannel, SocketAddress> callback, ConnectionLimit limit) {
        AcceptHandler handler = new AcceptHandler(loop, server, callback, limit);
        loop.addHandler(server, handler, IOLoop.READ);
        return handler::remove;
    }

    /**
     * The default {@code maxConnections} of a server: the process's file-descriptor limit less a reserve
     * of a tenth of it (at least 64) for files, clients and the JVM's own descriptors, and never below
     * 16; unbounded where the limit cannot be read. A server at its limit stops accepting, so a flood of
     * connections cannot leave it without descriptors.
     */
    public static int defaultMaxConnections() {
        return DefaultMaxConnections.VALUE;
    }

    /** Computed once, on first use (the management bean costs some class loading). */
    private static final class DefaultMaxConnections {
        static final int VALUE = compute();

        private static int compute() {
        long fds = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
        if (fds <= 0 || fds > Integer.MAX_VALUE) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.max(16, fds - Math.max(64, fds / 10));
        }
    }

    // ------------------------------------------------------------------ addresses

    /** Whether this platform lets several listening sockets share a port with {@code SO_REUSEPORT}. */
    public static boolean reusePortSupported() {
        return REUSE_PORT_SUPPORTED;
    }

    /**
     * Whether {@code ip} is a well-formed IPv4 or IPv6 address literal (no lookup is made). Host names,
     * bracketed IPv6 ({@code "[::1]"}), surrounding whitespace and NUL characters are not.
     */
    public static boolean isValidIp(String ip) {
        return ip != null && !ip.startsWith("[") && parseIpLiteral(ip) != null;
    }

    /**
     * Parses an IP literal, also accepting a bracketed IPv6 literal; returns null for anything else
     * (such as a host name), without any lookup.
     */
    static InetAddress parseIpLiteral(String host) {
        if (host == null || host.isEmpty() || host.indexOf('\0') >= 0) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The addresses of {@code host} in {@code family}, in the JDK's order: the literal itself for an IP
     * literal, otherwise a blocking lookup.
     *
     * @throws UnknownHostException if the lookup fails or finds no address of {@code family}
     */
    static List<InetAddress> lookup(String host, AddressFamily family) throws UnknownHostException {
        InetAddress literal = parseIpLiteral(host);
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : literal != null ? new InetAddress[] {literal} : InetAddress.getAllByName(host)) {
            if (family.includes(a)) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            throw new UnknownHostException(host + ": no address of family " + family);
        }
        return out;
    }

    static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range (0-65535): " + port);
        }
    }

    private static List<SocketAddress> localAddresses(List<ServerSocketChannel> channels) {
        List<SocketAddress> out = new ArrayList<>();
        for (ServerSocketChannel c : channels) {
            try {
                out.add(c.getLocalAddress());
            } catch (IOException e) {
                LOG.debug("cannot read the local address of {}", c, e);
            }
        }
        return out;
    }

    private static void closeAll(List<ServerSocketChannel> channels) {
        for (ServerSocketChannel c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("error closing {}", c, e);
            }
        }
    }

    private static boolean probeReusePort() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }
}
