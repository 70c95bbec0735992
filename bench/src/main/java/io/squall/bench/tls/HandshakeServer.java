package io.squall.bench.tls;

import static io.squall.gen.Coroutines.await;

import io.squall.iostream.IOStream;
import io.squall.iostream.SslIOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.ioloop.IOLoop;
import io.squall.net.TcpServer;
import io.squall.tls.TlsConfig;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * The server side of the handshake-latency benchmark: ONE loop serving a plain line-echo port and a
 * TLS port whose connections complete the handshake and close. With {@code inline}, the loop's default
 * executor runs tasks on the calling thread, so the handshake's delegated tasks run on the loop thread
 * as they did before they moved to the executor; with {@code executor}, they run on the shared pool.
 *
 * <p>Usage: {@code HandshakeServer plainPort tlsPort cert.pem key.pem inline|executor}
 */
public final class HandshakeServer {
    private HandshakeServer() {}

    /** Runs until killed. */
    public static void main(String[] args) throws Exception {
        int plainPort = Integer.parseInt(args[0]);
        int tlsPort = Integer.parseInt(args[1]);
        IOLoop loop = new IOLoop();
        loop.makeCurrent();
        switch (args[4]) {
            case "inline" -> loop.setDefaultExecutor(Runnable::run);
            case "executor" -> { } // the shared default pool
            default -> throw new IllegalArgumentException("mode must be inline or executor: " + args[4]);
        }
        var context = TlsConfig.server().certificateChain(Path.of(args[2])).privateKey(Path.of(args[3])).build();
        TcpServer.builder(HandshakeServer::echoLines).build().listen(plainPort, "127.0.0.1");
        TcpServer.builder(HandshakeServer::handshakeThenClose).tls(context).build().listen(tlsPort, "127.0.0.1");
        System.out.println("ready");
        loop.start();
    }

    private static void echoLines(IOStream stream, SocketAddress address) {
        stream.setNoDelay(true);
        try {
            while (true) {
                await(stream.write(await(stream.readUntil(new byte[] {'\n'}, 1024))));
            }
        } catch (StreamClosedError e) {
            stream.close();
        }
    }

    private static void handshakeThenClose(IOStream stream, SocketAddress address) {
        try {
            await(((SslIOStream) stream).waitForHandshake());
            await(stream.write(new byte[] {'!'}));
        } catch (StreamClosedError e) {
            // a client that gave up: nothing to do
        } finally {
            stream.close();
        }
    }
}
