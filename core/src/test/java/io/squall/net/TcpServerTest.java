package io.squall.net;

import static io.squall.testing.TestBytes.*;
import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.spawn;
import static io.squall.net.NetTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.squall.concurrent.Future;
import io.squall.gen.Coroutines;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** {@link TcpServer} on the test's loop, against {@link TcpClient} and against plain blocking sockets. */
class TcpServerTest extends TcpTestCase {
    private static final int MEGABYTE = 1 << 20;

    private final TcpClient client = closeLater(new TcpClient());

    private TcpServer server(StreamHandler handler) {
        return closeLater(new TcpServer(handler));
    }

    private IOStream connect(int port) {
        return closeLater(await(client.connect("127.0.0.1", port)));
    }

    // ------------------------------------------------------------------ the handler

    @Test
    void theHandlerRunsAsACoroutineThatCanAwaitReadsAndSleeps() {
        run(() -> {
            Future<Boolean> inCoroutine = new Future<>();
            int port = server((stream, remote) -> {
                inCoroutine.setResult(Coroutines.inCoroutine());
                byte[] line = await(stream.readUntil(NL));
                await(sleep(ms(20)));
                await(stream.write(bytes(str(line).toUpperCase())));
                stream.close();
            }).listen(0, "127.0.0.1");
            IOStream stream = connect(port);
            await(stream.write(bytes("hello\n")));
            assertEquals("HELLO\n", str(await(stream.readUntilClose())));
            assertTrue(await(inCoroutine));
        });
    }

    @Test
    void aFailingHandlerIsLoggedItsStreamClosedAndTheServerKeepsAccepting() {
        try (LogCapture log = LogCapture.of(TcpServer.class)) {
            run(() -> {
                int port = server((stream, remote) -> {
                    byte[] line = await(stream.readUntil(NL));
                    if (str(line).equals("boom\n")) {
                        throw new IllegalStateException("boom");
                    }
                    await(stream.write(line));
                    echoLines(stream, remote);
                }).listen(0, "127.0.0.1");
                IOStream failing = connect(port);
                await(failing.write(bytes("boom\n")));
                assertEquals("", str(await(failing.readUntilClose())), "the server closes the stream");
                List<ILoggingEvent> errors = log.matching(Level.ERROR, "Error in connection callback");
                assertEquals(1, errors.size());
                assertEquals("boom", LogCapture.thrownMessage(errors.getFirst()));
                assertTrue(errors.getFirst().getFormattedMessage().contains("127.0.0.1"),
                        errors.getFirst().getFormattedMessage());

                for (int i = 0; i < 3; i++) {
                    assertEquals("still here " + i + "\n", roundTrip(connect(port), "still here " + i));
                }
                assertEquals(1, log.count(Level.ERROR, ""));
            });
        }
    }

    @ParameterizedTest(name = "reset: {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatGoesAwayIsNotLoggedAsAnError(boolean reset) {
        Logger logger = (Logger) LoggerFactory.getLogger(TcpServer.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG); // to see the line that says the connection closed
        try (LogCapture log = LogCapture.of(TcpServer.class)) {
            run(() -> {
                Future<Void> reading = new Future<>();
                Future<Throwable> failed = new Future<>();
                int port = server((stream, remote) -> {
                    Future<byte[]> read = stream.readBytes(10);
                    reading.setResult(null);
                    try {
                        await(read);
                    } catch (StreamClosedError e) {
                        failed.setResult(e);
                        throw e;
                    }
                }).listen(0, "127.0.0.1");
                Socket socket = await(offLoop(() -> {
                    Socket s = new Socket(LOOPBACK4, port);
                    s.getOutputStream().write(bytes("abc"));
                    return s;
                }));
                await(reading);
                await(offLoop(() -> {
                    if (reset) {
                        socket.setSoLinger(true, 0);
                    }
                    socket.close();
                    return null;
                }));
                assertInstanceOf(StreamClosedError.class, await(failed));
                awaitLog(log, Level.DEBUG, "closed");
                assertEquals(1, log.count(Level.DEBUG, "closed"), () -> log.events().toString());
                assertEquals(List.of(), log.events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                        .toList());
            });
        } finally {
            logger.setLevel(level);
        }
    }

    // ------------------------------------------------------------------ listening and stopping

    @Test
    void listenOnPortZeroReturnsTheBoundPortAndServesABlockingClient() {
        run(() -> {
            Future<Received> received = new Future<>();
            TcpServer server = recordingServer(received);
            int port = server.listen(0, "127.0.0.1");
            assertTrue(port > 0 && port <= 65535, "port " + port);
            // An independent client: a blocking socket on an executor thread.
            record Reply(String line, int localPort) {}
            Reply reply = await(offLoop(() -> {
                try (Socket s = new Socket(LOOPBACK4, port)) {
                    s.getOutputStream().write(bytes("ping\n"));
                    return new Reply(readLine(s.getInputStream()), s.getLocalPort());
                }
            }));
            assertEquals("ping\n", reply.line());
            assertEquals(new InetSocketAddress(LOOPBACK4, reply.localPort()), await(received).remote());
        });
    }

    @Test
    void stopIsIdempotentAndRefusesNewConnectionsWhileServedOnesStayOpen() {
        run(() -> {
            TcpServer server = server(TcpTestCase::echoLines);
            int port = server.listen(0, "127.0.0.1");
            IOStream before = connect(port);
            assertEquals("a\n", roundTrip(before, "a"));

            server.stop();
            server.stop();
            server.close();

            // The port is free at once: refused, and available to a new server in the same step.
            StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(client.connect("127.0.0.1", port)));
            assertInstanceOf(ConnectException.class, e.getCause());
            TcpServer again = server(TcpTestCase::echoLines);
            assertEquals(port, again.listen(port, "127.0.0.1"));
            again.stop();
            // That connection is served on this loop, which the caller owns: stop() leaves it alone.
            assertEquals("b\n", roundTrip(before, "b"));
            assertThrows(IllegalStateException.class, () -> server.listen(0, "127.0.0.1"));
        });
    }

    @Test
    void stopInsideAHandlerWhileClientsKeepArrivingLogsNothing() {
        // Tornado issue #2069: stop() in a connection callback while more connections are pending.
        try (LogCapture log = LogCapture.of("io.squall")) {
            run(() -> {
                TcpServer[] server = new TcpServer[1];
                server[0] = server((stream, remote) -> {
                    server[0].stop();
                    await(stream.readUntilClose());
                });
                int port = server[0].listen(0, "127.0.0.1");
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    attempts.add(spawn(() -> {
                        try (IOStream stream = await(client.connect("127.0.0.1", port))) {
                            return true;
                        } catch (StreamClosedError e) {
                            return false;
                        }
                    }));
                }
                assertTrue(await(multi(attempts)).contains(true), "at least the first client connects");
                assertEquals(List.of(), log.events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                        .toList());
            });
        }
    }

    @Test
    void listenOnNoAddressAcceptsBothLoopbacks() {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        run(() -> {
            Future<Received> first = new Future<>();
            Future<Received> second = new Future<>();
            int port = server((stream, remote) -> {
                byte[] line = await(stream.readUntil(NL));
                Received r = new Received(str(line), (InetSocketAddress) remote);
                if (!first.trySetResult(r)) {
                    second.setResult(r);
                }
                await(stream.write(line));
            }).listen(0, null);
            assertEquals("v4\n", roundTrip(closeLater(await(client.connect("127.0.0.1", port))), "v4"));
            assertEquals("v6\n", roundTrip(closeLater(await(client.connect("::1", port))), "v6"));
            assertEquals(LOOPBACK4, await(first).remote().getAddress());
            assertInstanceOf(Inet4Address.class, await(first).remote().getAddress());
            assertEquals(LOOPBACK6, await(second).remote().getAddress());
            assertInstanceOf(Inet6Address.class, await(second).remote().getAddress());
        });
    }

    // ------------------------------------------------------------------ bulk echo

    /** Echoes whatever arrives, chunk by chunk, until the client closes. */
    private static void echoChunks(IOStream stream, SocketAddress ignored) {
        while (true) {
            await(stream.write(await(stream.readBytes(64 * 1024, true))));
        }
    }

    @Test
    void aMegabyteEchoedInChunksToTcpClientArrivesIntact() {
        run(() -> {
            int port = server(TcpServerTest::echoChunks).listen(0, "127.0.0.1");
            byte[] data = random(MEGABYTE, 42);
            IOStream stream = connect(port);
            Future<byte[]> echoed = spawn(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (out.size() < data.length) {
                    out.write(await(stream.readBytes(data.length - out.size(), true)));
                }
                return out.toByteArray();
            });
            Random sizes = new Random(7);
            for (int offset = 0; offset < data.length; ) {
                int n = Math.min(data.length - offset, 1 + sizes.nextInt(100_000));
                await(stream.write(java.nio.ByteBuffer.wrap(data, offset, n)));
                offset += n;
            }
            assertEquals(sha256(data), sha256(await(echoed)));
        });
    }

    @Test
    void aMegabyteEchoedToABlockingSocketArrivesIntact() {
        run(() -> {
            int port = server(TcpServerTest::echoChunks).listen(0, "127.0.0.1");
            byte[] data = random(MEGABYTE, 43);
            Socket socket = closeLater(await(offLoop(() -> new Socket(LOOPBACK4, port))));
            // Two threads, so that neither side can block the other: one writes, one reads.
            Future<byte[]> echoed = offLoop(() -> socket.getInputStream().readAllBytes());
            await(offLoop(() -> {
                OutputStream out = socket.getOutputStream();
                Random sizes = new Random(8);
                for (int offset = 0; offset < data.length; ) {
                    int n = Math.min(data.length - offset, 1 + sizes.nextInt(100_000));
                    out.write(data, offset, n);
                    offset += n;
                }
                socket.shutdownOutput(); // the server sees the end, and closes after its last echo
                return null;
            }));
            assertEquals(sha256(data), sha256(await(echoed)));
        });
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            line.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return line.toString();
    }
}
