package io.squall.iostream;

import static io.squall.testing.TestBytes.*;
import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.testing.LogCapture;
import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The iostream behaviours over plain TCP on 127.0.0.1, plus connect-specific ones. */
class TcpIOStreamTest extends AbstractIOStreamTest {

    @Override
    Pair connect(IOStreamOptions clientOptions, IOStreamOptions serverOptions) throws Exception {
        try (TestAcceptor acceptor = TestAcceptor.tcp(loop)) {
            Future<SocketChannel> accepted = acceptor.accept();
            IOStream client = new IOStream(SocketChannel.open(), loop, clientOptions);
            assertEquals(client, await(client.connect(acceptor.address())));
            return new Pair(client, new IOStream(await(accepted), loop, serverOptions));
        }
    }

    @Test
    void writesQueuedBeforeConnectGoOutAfterIt() {
        run(() -> {
            try (TestAcceptor acceptor = TestAcceptor.tcp(loop)) {
                Future<SocketChannel> accepted = acceptor.accept();
                IOStream client = new IOStream(SocketChannel.open(), loop, DEFAULTS);
                List<String> order = new ArrayList<>();
                Future<Void> written = client.write(bytes("hello"));
                Future<Void> empty = client.write(new byte[0]);
                Future<IOStream> connected = client.connect(acceptor.address());
                connected.addDoneCallback(f -> order.add("connect"));
                written.addDoneCallback(f -> order.add("write"));
                empty.addDoneCallback(f -> order.add("empty write"));
                await(empty);
                assertEquals(List.of("connect", "write", "empty write"), order);
                try (IOStream server = new IOStream(await(accepted), loop, DEFAULTS)) {
                    assertEquals("hello", str(await(server.readBytes(5))));
                    assertEquals(acceptor.address(), client.remoteAddress());
                } finally {
                    client.close();
                }
            }
        });
    }

    @Test
    void refusedConnectionFailsWithTheConnectException() {
        run(() -> {
            SocketAddress closedPort;
            try (ServerSocketChannel s = ServerSocketChannel.open()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                closedPort = s.getLocalAddress();
            }
            try (LogCapture logs = LogCapture.start()) {
                IOStream client = new IOStream(SocketChannel.open(), loop, DEFAULTS);
                Future<byte[]> read = client.readBytes(1);
                StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(client.connect(closedPort)));
                assertInstanceOf(ConnectException.class, e.getCause());
                assertInstanceOf(ConnectException.class, client.error());
                assertTrue(client.isClosed());
                assertInstanceOf(StreamClosedError.class, read.exception());
                assertEquals(List.of(), logs.atLeast(Level.WARN));
            }
        });
    }

    @Test
    void connectionResetByThePeerIsNotLoggedAsAnError() {
        run(() -> {
            try (LogCapture logs = LogCapture.start(); TestAcceptor acceptor = TestAcceptor.tcp(loop)) {
                Future<SocketChannel> accepted = acceptor.accept();
                IOStream client = new IOStream(SocketChannel.open(), loop, DEFAULTS);
                await(client.connect(acceptor.address()));
                try (IOStream server = new IOStream(await(accepted), loop, DEFAULTS)) {
                    Future<byte[]> read = server.readBytes(10);
                    client.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    client.close(); // sends RST
                    StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(read));
                    assertInstanceOf(SocketException.class, e.getCause());
                    assertTrue(ConnectionErrors.isPeerDisconnect(e), e.toString());
                    assertThrows(StreamClosedError.class, () -> await(server.write(new byte[100_000])));
                }
                assertEquals(List.of(), logs.atLeast(Level.WARN));
                assertEquals(List.of(), logs.withStackTraces());
            }
        });
    }

    @Test
    void writingToAResetPeerIsNotLoggedAsAnError() {
        run(() -> {
            try (LogCapture logs = LogCapture.start(); TestAcceptor acceptor = TestAcceptor.tcp(loop)) {
                Future<SocketChannel> accepted = acceptor.accept();
                IOStream client = new IOStream(SocketChannel.open(), loop, DEFAULTS);
                await(client.connect(acceptor.address()));
                try (IOStream server = new IOStream(await(accepted), loop, DEFAULTS)) {
                    client.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    client.close(); // sends RST
                    StreamClosedError failure = null;
                    for (int i = 0; i < 1000 && failure == null; i++) {
                        try {
                            await(server.write(new byte[64 * 1024]));
                        } catch (StreamClosedError e) {
                            failure = e;
                        }
                    }
                    assertTrue(failure != null, "writes to a reset peer must fail");
                    assertTrue(ConnectionErrors.isPeerDisconnect(failure), failure.toString());
                }
                assertEquals(List.of(), logs.atLeast(Level.WARN));
                assertEquals(List.of(), logs.withStackTraces());
            }
        });
    }

    @Test
    void connectAgainFailsAtOnce() {
        run(() -> {
            try (Pair p = connect()) {
                assertThrows(IllegalStateException.class, () -> p.client().connect(p.server().remoteAddress()));
                p.client().setNoDelay(true);
                assertEquals(Boolean.TRUE, p.client().channel.getOption(StandardSocketOptions.TCP_NODELAY));
            }
        });
    }

    @Test
    void exchangeOverIpv6Loopback() {
        InetAddress v6;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            v6 = InetAddress.getByName("::1");
            probe.bind(new InetSocketAddress(v6, 0));
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("no IPv6 loopback: " + e);
            return;
        }
        run(() -> {
            try (TestAcceptor acceptor = TestAcceptor.tcp(loop, v6)) {
                Future<SocketChannel> accepted = acceptor.accept();
                IOStream client = new IOStream(SocketChannel.open(), loop, DEFAULTS);
                await(client.connect(acceptor.address()));
                try (Pair p = new Pair(client, new IOStream(await(accepted), loop, DEFAULTS))) {
                    await(p.client().write(bytes("ping\n")));
                    assertEquals("ping\n", str(await(p.server().readUntil(bytes("\n")))));
                    assertEquals(v6, ((InetSocketAddress) p.server().remoteAddress()).getAddress());
                }
            }
        });
    }
}
