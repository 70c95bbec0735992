package io.squall.iostream;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A listening socket on a loop that hands out accepted channels as futures: real sockets for stream tests. */
final class TestAcceptor implements AutoCloseable {
    private final IOLoop loop;
    private final ServerSocketChannel server;

    private TestAcceptor(IOLoop loop, ServerSocketChannel server) {
        this.loop = loop;
        this.server = server;
    }

    /** Listens on an ephemeral TCP port of {@code address}. */
    static TestAcceptor tcp(IOLoop loop, InetAddress address) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(address, 0));
        return new TestAcceptor(loop, server);
    }

    /** Listens on 127.0.0.1. */
    static TestAcceptor tcp(IOLoop loop) throws IOException {
        return tcp(loop, InetAddress.getLoopbackAddress());
    }

    /** Listens on a Unix-domain socket at {@code path}. */
    static TestAcceptor unix(IOLoop loop, Path path) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        return new TestAcceptor(loop, server);
    }

    SocketAddress address() throws IOException {
        return server.getLocalAddress();
    }

    /** The next connection accepted (watching the socket until it comes). */
    Future<SocketChannel> accept() {
        Future<SocketChannel> accepted = new Future<>();
        loop.addHandler(server, (channel, events) -> {
            try {
                SocketChannel connection = server.accept();
                if (connection == null) {
                    return;
                }
                loop.removeHandler(server);
                accepted.setResult(connection);
            } catch (IOException e) {
                loop.removeHandler(server);
                accepted.setException(e);
            }
        }, IOLoop.READ);
        return accepted;
    }

    @Override
    public void close() throws IOException {
        loop.removeHandler(server);
        server.close();
    }
}
