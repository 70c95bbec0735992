package io.squall.net;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Socket helpers shared by the net tests. */
final class NetTestSupport {
    static final InetAddress LOOPBACK4 = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress LOOPBACK6 = InetAddress.ofLiteral("::1");

    private NetTestSupport() {}

    /** Whether a socket can be bound to {@code ::1} here. */
    static boolean ipv6LoopbackAvailable() {
        try (ServerSocketChannel s = ServerSocketChannel.open(AddressFamily.INET6.protocolFamily())) {
            s.bind(new InetSocketAddress(LOOPBACK6, 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The local address a server channel is bound to. */
    static InetSocketAddress localAddress(ServerSocketChannel server) {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port on {@code address} that refuses connections: a socket bound to it that does not listen
     * (Tornado's {@code refusing_port}). Keep the returned channel open while the port is used.
     */
    static SocketChannel refusingPort(InetAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(AddressFamily.of(address).protocolFamily());
        channel.bind(new InetSocketAddress(address, 0));
        return channel;
    }

    /**
     * A minimal non-blocking connect on {@code loop}: the future completes with the connected channel,
     * or fails with the connect error. Cancelling it closes the channel.
     */
    static Future<SocketChannel> connect(IOLoop loop, InetSocketAddress address) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(AddressFamily.of(address.getAddress()).protocolFamily());
            channel.configureBlocking(false);
            if (channel.connect(address)) {
                return Future.completed(channel);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            return Future.failed(e);
        }
        SocketChannel connecting = channel;
        Future<SocketChannel> future = new Future<>();
        loop.addHandler(connecting, (ch, events) -> {
            try {
                if (!connecting.finishConnect()) {
                    return;
                }
                loop.removeHandler(connecting);
                if (!future.trySetResult(connecting)) {
                    closeQuietly(connecting);
                }
            } catch (IOException e) {
                loop.removeHandler(connecting);
                closeQuietly(connecting);
                future.trySetException(e);
            }
        }, IOLoop.WRITE);
        future.addDoneCallback(f -> {
            if (f.isCancelled()) {
                loop.removeHandler(connecting);
                closeQuietly(connecting);
            }
        });
        return future;
    }

    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // test cleanup
        }
    }
}
