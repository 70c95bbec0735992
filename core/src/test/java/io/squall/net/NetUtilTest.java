package io.squall.net;

import static io.squall.gen.Coroutines.await;
import static io.squall.net.NetTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import java.io.IOException;
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
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@link NetUtil} with real sockets: binding, Unix sockets, the accept handler, and {@code isValidIp}. */
class NetUtilTest extends AsyncTestCase {




    private <T extends AutoCloseable> T track(T resource) {
        closeLater(resource);
        return resource;
    }

    private List<ServerSocketChannel> track(List<ServerSocketChannel> channels) {
        channels.forEach(this::closeLater);
        return channels;
    }

    /** A blocking client connected to {@code address}: the kernel completes it even before any accept. */
    private SocketChannel client(SocketAddress address) throws IOException {
        return track(SocketChannel.open(address));
    }

    // ------------------------------------------------------------------ isValidIp

    @Test
    void isValidIp() {
        assertTrue(NetUtil.isValidIp("127.0.0.1"));
        assertTrue(NetUtil.isValidIp("4.4.4.4"));
        assertTrue(NetUtil.isValidIp("::1"));
        assertTrue(NetUtil.isValidIp("2620:0:1cfe:face:b00c::3"));
        assertFalse(NetUtil.isValidIp("www.google.com"));
        assertFalse(NetUtil.isValidIp("localhost"));
        assertFalse(NetUtil.isValidIp("4.4.4.4<"));
        assertFalse(NetUtil.isValidIp(" 127.0.0.1"));
        assertFalse(NetUtil.isValidIp(""));
        assertFalse(NetUtil.isValidIp(" "));
        assertFalse(NetUtil.isValidIp("\n"));
        assertFalse(NetUtil.isValidIp("\0"));
        assertFalse(NetUtil.isValidIp("127.0.0.1\0"));
        assertFalse(NetUtil.isValidIp("a".repeat(100)));
        assertFalse(NetUtil.isValidIp("[::1]"));
        assertFalse(NetUtil.isValidIp(null));
    }

    // ------------------------------------------------------------------ bindSockets

    @Test
    void samePortAllocationForEveryAddressOfAName() throws IOException {
        List<ServerSocketChannel> sockets = track(NetUtil.bindSockets(0, "localhost"));
        assertFalse(sockets.isEmpty());
        int port = localAddress(sockets.getFirst()).getPort();
        assertNotEquals(0, port);
        for (ServerSocketChannel s : sockets) {
            assertEquals(port, localAddress(s).getPort());
        }
    }

    @Test
    void portZeroGivesIpv4AndIpv6TheSamePort() throws IOException {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        List<ServerSocketChannel> sockets = track(
                NetUtil.bindSockets(0, List.of(LOOPBACK6, LOOPBACK4, LOOPBACK6), NetUtil.DEFAULT_BACKLOG, false));
        assertEquals(2, sockets.size(), "duplicates are bound once");
        InetSocketAddress v4 = localAddress(sockets.get(0));
        InetSocketAddress v6 = localAddress(sockets.get(1));
        assertEquals(LOOPBACK4, v4.getAddress(), "IPv4 first");
        assertEquals(LOOPBACK6, v6.getAddress());
        assertEquals(v4.getPort(), v6.getPort());
        // Both really listen.
        client(v4);
        client(v6);
    }

    @Test
    void socketsAreNonBlockingWithReuseAddr() throws IOException {
        for (ServerSocketChannel s : track(NetUtil.bindSockets(0, "127.0.0.1"))) {
            assertFalse(s.isBlocking());
            assertTrue(s.getOption(StandardSocketOptions.SO_REUSEADDR));
        }
    }

    @Test
    void reusePortLetsTwoSocketsShareAPort() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            assumeTrue(probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT), "no SO_REUSEPORT");
        }
        ServerSocketChannel first = track(NetUtil.bindSockets(0, "127.0.0.1", NetUtil.DEFAULT_BACKLOG, true)).getFirst();
        int port = localAddress(first).getPort();
        List<ServerSocketChannel> second = track(NetUtil.bindSockets(port, "127.0.0.1", NetUtil.DEFAULT_BACKLOG, true));
        assertEquals(1, second.size());
        assertEquals(port, localAddress(second.getFirst()).getPort());
        assertTrue(second.getFirst().getOption(StandardSocketOptions.SO_REUSEPORT));
    }

    @Test
    void portInUseFailsWithTheAddressInTheMessage() throws IOException {
        ServerSocketChannel first = track(NetUtil.bindSockets(0, "127.0.0.1")).getFirst();
        int port = localAddress(first).getPort();
        BindException e = assertThrows(BindException.class, () -> NetUtil.bindSockets(port, "127.0.0.1"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void wildcardAcceptsIpv4AndIpv6() {
        run(() -> {
            List<ServerSocketChannel> sockets = track(NetUtil.bindSockets(0, null));
            // One dual-stack socket where IPv6 exists (the JDK cannot set IPV6_V6ONLY), else one IPv4 socket.
            assertEquals(1, sockets.size());
            ServerSocketChannel server = sockets.getFirst();
            InetSocketAddress bound = localAddress(server);
            assertTrue(bound.getAddress().isAnyLocalAddress());
            List<InetAddress> clients = new ArrayList<>(List.of(LOOPBACK4));
            if (bound.getAddress() instanceof Inet6Address) {
                clients.add(LOOPBACK6);
            }
            List<Future<SocketAddress>> accepted = new ArrayList<>();
            for (InetAddress a : clients) {
                accepted.add(new Future<>());
            }
            int[] next = {0};
            NetUtil.addAcceptHandler(loop, server, (channel, remote) -> {
                track(channel);
                accepted.get(next[0]++).setResult(remote);
            });
            for (int i = 0; i < clients.size(); i++) {
                SocketChannel c = await(connect(loop, new InetSocketAddress(clients.get(i), bound.getPort())));
                track(c);
                assertEquals(c.getLocalAddress(), await(accepted.get(i)));
            }
        });
    }

    @Test
    void familyInetBindsTheIpv4Wildcard() throws IOException {
        List<ServerSocketChannel> sockets = track(NetUtil.bindSockets(0, "", AddressFamily.INET, 16, false));
        assertEquals(1, sockets.size());
        InetSocketAddress bound = localAddress(sockets.getFirst());
        assertInstanceOf(Inet4Address.class, bound.getAddress());
        assertTrue(bound.getAddress().isAnyLocalAddress());
    }

    @Test
    void addressWithoutTheRequestedFamilyFails() {
        UnknownHostException e = assertThrows(UnknownHostException.class,
                () -> NetUtil.bindSockets(0, "127.0.0.1", AddressFamily.INET6, 16, false));
        assertEquals("127.0.0.1: no address of family INET6", e.getMessage());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NetUtil.bindSockets(65536, "127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> NetUtil.bindSockets(0, List.of(), 16, false));
    }

    @Test
    void kernelBacklogLimitIsSomaxconnWhereItExists() throws IOException {
        Path somaxconn = Path.of("/proc/sys/net/core/somaxconn");
        if (Files.isReadable(somaxconn)) {
            assertEquals(Integer.parseInt(Files.readAllLines(somaxconn).getFirst().strip()), NetUtil.kernelBacklogLimit().getAsInt());
        } else {
            assertTrue(NetUtil.kernelBacklogLimit().isEmpty());
        }
    }

    // ------------------------------------------------------------------ Unix sockets

    @Test
    void unixSocketAcceptsAndReplacesAStaleSocketFile(@TempDir Path dir) {
        Path path = dir.resolve("squall.sock");
        run(() -> {
            for (int round = 0; round < 2; round++) { // the second bind finds the first one's file
                try (ServerSocketChannel server = NetUtil.bindUnixSocket(path, 16)) {
                    assertFalse(server.isBlocking());
                    if (Files.getFileAttributeView(path, PosixFileAttributeView.class) != null) {
                        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
                    }
                    Future<SocketChannel> accepted = new Future<>();
                    Runnable remover = NetUtil.addAcceptHandler(loop, server,
                            (channel, remote) -> accepted.setResult(track(channel)));
                    SocketChannel client = track(SocketChannel.open(StandardProtocolFamily.UNIX));
                    client.connect(UnixDomainSocketAddress.of(path));
                    SocketChannel serverSide = await(accepted);
                    assertFalse(serverSide.isBlocking());
                    client.write(ByteBuffer.wrap(new byte[] {42}));
                    ByteBuffer in = ByteBuffer.allocate(1);
                    while (in.hasRemaining()) {
                        assertNotEquals(-1, serverSide.read(in));
                    }
                    assertEquals(42, in.get(0));
                    remover.run();
                }
                assertTrue(Files.exists(path), "closing does not delete the socket file");
            }
        });
    }

    @Test
    void unixSocketRefusesToReplaceAnOrdinaryFile(@TempDir Path dir) throws IOException {
        Path path = Files.writeString(dir.resolve("not-a-socket"), "data");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetUtil.bindUnixSocket(path, 16));
        assertTrue(e.getMessage().contains("exists and is not a socket"), e.getMessage());
        assertEquals("data", Files.readString(path));
    }

    // ------------------------------------------------------------------ addAcceptHandler

    @Test
    void acceptedChannelsAreNonBlockingWithTheirRemoteAddress() throws IOException {
        ServerSocketChannel server = track(NetUtil.bindSockets(0, "127.0.0.1")).getFirst();
        SocketChannel client = client(server.getLocalAddress());
        run(() -> {
            Future<SocketChannel> accepted = new Future<>();
            Future<SocketAddress> remoteAddress = new Future<>();
            NetUtil.addAcceptHandler(loop, server, (channel, remote) -> {
                accepted.setResult(track(channel));
                remoteAddress.setResult(remote);
            });
            SocketChannel serverSide = await(accepted);
            assertFalse(serverSide.isBlocking());
            assertEquals(client.getLocalAddress(), serverSide.getRemoteAddress());
            assertEquals(client.getLocalAddress(), await(remoteAddress));
            assertFalse(serverSide.getOption(StandardSocketOptions.TCP_NODELAY), "TCP_NODELAY is left to the caller");
        });
    }

    @Test
    void atMost128AcceptsPerReadinessEvent() throws IOException {
        int queued = NetUtil.ACCEPTS_PER_EVENT + 72;
        ServerSocketChannel server = track(NetUtil.bindSockets(0, "127.0.0.1")).getFirst();
        for (int i = 0; i < queued; i++) {
            client(server.getLocalAddress()); // all wait in the accept queue before the handler exists
        }
        run(() -> {
            List<SocketChannel> accepted = new ArrayList<>();
            Future<Integer> afterFirstEvent = new Future<>();
            Future<Void> all = new Future<>();
            NetUtil.addAcceptHandler(loop, server, (channel, remote) -> {
                accepted.add(track(channel));
                if (accepted.size() == 1) {
                    // Runs after the handler returns, in the same loop iteration.
                    loop.addCallback(() -> afterFirstEvent.setResult(accepted.size()));
                }
                if (accepted.size() == queued) {
                    all.setResult(null);
                }
            });
            assertEquals(NetUtil.ACCEPTS_PER_EVENT, await(afterFirstEvent));
            await(all);
        });
    }

    @Test
    void removerStopsAccepting() throws IOException {
        ServerSocketChannel server = track(NetUtil.bindSockets(0, "127.0.0.1")).getFirst();
        run(() -> {
            List<SocketAddress> first = new ArrayList<>();
            Future<SocketAddress> firstGotOne = new Future<>();
            Runnable remover = NetUtil.addAcceptHandler(loop, server, (channel, remote) -> {
                track(channel);
                first.add(remote);
                firstGotOne.trySetResult(remote);
            });
            SocketChannel c1 = track(await(connect(loop, localAddress(server))));
            assertEquals(c1.getLocalAddress(), await(firstGotOne));
            remover.run();
            remover.run(); // idempotent
            // The next connection waits in the backlog; only a new handler takes it.
            SocketChannel c2 = track(await(connect(loop, localAddress(server))));
            Future<SocketAddress> secondGotOne = new Future<>();
            NetUtil.addAcceptHandler(loop, server, (channel, remote) -> {
                track(channel);
                secondGotOne.setResult(remote);
            });
            assertEquals(c2.getLocalAddress(), await(secondGotOne));
            assertEquals(List.of(c1.getLocalAddress()), first);
            assertTrue(server.isOpen(), "removing does not close the server");
        });
    }

    @Test
    void callbackFailureIsLoggedAndTheConnectionClosed() throws IOException {
        ServerSocketChannel server = track(NetUtil.bindSockets(0, "127.0.0.1")).getFirst();
        SocketChannel client = client(server.getLocalAddress());
        Logger logger = (Logger) LoggerFactory.getLogger(AcceptHandler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
        try {
            run(() -> {
                Future<Void> called = new Future<>();
                NetUtil.addAcceptHandler(loop, server, (channel, remote) -> {
                    called.setResult(null);
                    throw new IllegalStateException("handler bug");
                });
                await(called);
            });
        } finally {
            logger.detachAppender(appender);
            logger.setAdditive(true);
        }
        client.configureBlocking(true);
        assertEquals(-1, client.read(ByteBuffer.allocate(1)), "the server side was closed");
        assertEquals(1, appender.list.size());
        assertTrue(appender.list.getFirst().getFormattedMessage().startsWith("Error in connection callback"));
    }
}
