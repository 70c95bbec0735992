package io.squall.tls;

import static io.squall.gen.Coroutines.await;
import static io.squall.testing.PemFiles.file;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.iostream.SslIOStream;
import io.squall.net.TcpServer;
import io.squall.testing.AsyncTestCase;
import io.squall.testing.PemFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS handshake's CPU work (the engine's delegated tasks) runs on the loop's executor: while it is
 * held there, the loop serves a plain connection, and the handshake goes on once the work is done.
 */
class HandshakeOffLoopTest extends AsyncTestCase {
    @BeforeAll
    static void makeTheFilesBeforeAnyLoopRuns() {
        PemFiles.dir(); // openssl takes seconds: not inside a coroutine, where the watchdog would flag it
    }

    private static final byte[] NL = {'\n'};

    /** Holds every task until {@link #open()}, then runs them (and later ones) on threads of its own. */
    private final class Gate implements Executor {
        private final List<Runnable> held = new ArrayList<>();
        private final Future<Void> firstHeld = new Future<>();
        private boolean open;

        @Override
        public synchronized void execute(Runnable task) {
            if (open) {
                Thread.ofPlatform().daemon().start(task);
                return;
            }
            held.add(task);
            loop.addCallback(() -> firstHeld.trySetResult(null));
        }

        synchronized void open() {
            open = true;
            held.forEach(task -> Thread.ofPlatform().daemon().start(task));
            held.clear();
        }
    }

    /** A server handler that echoes one line. */
    private static void echoLine(IOStream stream) {
        await(stream.write(await(stream.readUntil(NL))));
    }

    @Test
    void theLoopServesOthersWhileAHandshakeWaitsForItsTasks() {
        Gate gate = new Gate();
        loop.setDefaultExecutor(gate);
        run(() -> {
            SSLContext serverContext = TlsConfig.server().certificateChain(file("server.crt")).privateKey(file("server.key")).build();
            SSLContext clientContext = TlsConfig.client().trust(file("ca.crt")).build();
            Future<Boolean> serverSawTls = new Future<>();
            int tlsPort = closeLater(TcpServer.builder((stream, remote) -> {
                await(((SslIOStream) stream).waitForHandshake());
                serverSawTls.trySetResult(true);
                echoLine(stream);
            }).tls(serverContext).build()).listen(0, "127.0.0.1");
            int plainPort = closeLater(new TcpServer((stream, remote) -> echoLine(stream))).listen(0, "127.0.0.1");

            // A blocking JDK client on a thread of its own, so that its handshake does not use the loop's executor.
            CompletableFuture<String> tlsReply = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
                    socket.setSoTimeout(10_000);
                    OutputStream out = socket.getOutputStream();
                    out.write("over tls\n".getBytes(US_ASCII));
                    out.flush();
                    return new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII)).readLine();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, command -> Thread.ofPlatform().daemon().start(command));

            await(gate.firstHeld); // the server's handshake now waits for its tasks
            IOStream plain = closeLater(new IOStream(SocketChannel.open()));
            await(plain.connect(new InetSocketAddress("127.0.0.1", plainPort)));
            await(plain.write("plain\n".getBytes(US_ASCII)));
            assertEquals("plain\n", new String(await(plain.readUntil(NL)), US_ASCII));
            assertFalse(serverSawTls.isDone(), "the handshake cannot finish while its tasks are held");

            gate.open();
            assertEquals("over tls", await(Future.from(tlsReply)));
            assertTrue(await(serverSawTls));
        });
    }
}
