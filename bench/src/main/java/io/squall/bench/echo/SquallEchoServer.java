package io.squall.bench.echo;

import static io.squall.gen.Coroutines.await;

import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.ioloop.IOLoop;
import io.squall.net.TcpServer;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * Squall's side of the echo benchmark: a {@link TcpServer} on one loop whose per-connection coroutine
 * reads whatever is available into one reused buffer and writes it back, awaiting each step.
 */
public final class SquallEchoServer {
    private SquallEchoServer() {}

    /** Runs the server on port {@code args[0]} until killed. */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        IOLoop loop = new IOLoop();
        loop.makeCurrent();
        TcpServer server = TcpServer.builder(SquallEchoServer::echo).build();
        server.listen(port, "127.0.0.1");
        loop.start();
    }

    private static void echo(IOStream stream, SocketAddress address) {
        stream.setNoDelay(true);
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (true) {
                buffer.clear();
                await(stream.readInto(buffer, true));
                buffer.flip();
                await(stream.write(buffer));
            }
        } catch (StreamClosedError e) {
            stream.close();
        }
    }
}
