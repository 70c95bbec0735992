package io.squall.net;

import static io.squall.testing.TestBytes.*;
import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.spawn;
import static io.squall.net.NetTestSupport.LOOPBACK4;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.ioloop.IOLoop;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TcpServer#bind} and {@link TcpServer#start(int)}: several loops share the port, through
 * {@code SO_REUSEPORT} (each loop accepts on its own socket) or through the accept hand-off (the first
 * loop accepts for all), and every connection lives on one loop.
 */
class TcpServerLoopsTest extends TcpTestCase {
    private static final int LOOPS = 3;
    private static final int CLIENTS = 60;

    /** Where one connection's life happened: the loop at each step, and the loop its stream belongs to. */
    record Life(String line, IOLoop streamLoop, List<IOLoop> steps) {}

    @ParameterizedTest(name = "SO_REUSEPORT: {0}")
    @ValueSource(booleans = {true, false})
    void connectionsAreSpreadOverTheLoopsAndEachLivesOnOne(boolean reusePort) throws Exception {
        assumeTrue(!reusePort || NetUtil.reusePortSupported(), "no SO_REUSEPORT here");
        Queue<Life> lives = new ConcurrentLinkedQueue<>();
        CountDownLatch closed = new CountDownLatch(CLIENTS);
        TcpServer server = TcpServer.builder((stream, remote) -> {
            List<IOLoop> steps = new ArrayList<>(); // touched only by this connection's loop, if the server is right
            steps.add(IOLoop.current());
            byte[] line = await(stream.readUntil(NL));
            steps.add(IOLoop.current());
            await(moment());
            steps.add(IOLoop.current());
            await(stream.write(line));
            steps.add(IOLoop.current());
            Future<IOLoop> closeCallbackLoop = new Future<>();
            stream.setCloseCallback(() -> closeCallbackLoop.setResult(IOLoop.current()));
            await(stream.readUntilClose()); // the client closes first
            steps.add(IOLoop.current());
            steps.add(await(closeCallbackLoop));
            lives.add(new Life(str(line), stream.loop(), List.copyOf(steps)));
            closed.countDown();
        }).reusePort(reusePort).build();
        int port = server.bind(0, "127.0.0.1");
        List<IOLoop> loops;
        try {
            server.start(LOOPS);
            loops = server.loops();
            assertEquals(LOOPS, loops.size());
            assertEquals(LOOPS, new HashSet<>(loops).size());
            assertTrue(loops.stream().allMatch(IOLoop::isRunning));

            TcpClient client = closeLater(new TcpClient());
            run(() -> {
                List<Future<String>> replies = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    String line = "client " + i;
                    replies.add(spawn(() -> {
                        try (IOStream stream = await(client.connect("127.0.0.1", port))) {
                            return roundTrip(stream, line);
                        }
                    }));
                }
                List<String> got = await(multi(replies));
                for (int i = 0; i < CLIENTS; i++) {
                    assertEquals("client " + i + "\n", got.get(i));
                }
            });
            assertTrue(closed.await(10, TimeUnit.SECONDS), "every connection closed on the server");
        } finally {
            server.stop();
        }

        assertEquals(CLIENTS, lives.size());
        Set<IOLoop> used = new HashSet<>();
        for (Life life : lives) {
            assertTrue(loops.contains(life.streamLoop()), life.line() + " on a loop of the server");
            assertEquals(6, life.steps().size());
            for (IOLoop step : life.steps()) {
                assertSame(life.streamLoop(), step, life.line() + " moved between loops: " + life.steps());
            }
            used.add(life.streamLoop());
        }
        assertTrue(used.size() > 1, "connections went to " + used.size() + " loop(s) only");
        if (!reusePort) {
            assertEquals(LOOPS, used.size(), "the hand-off goes round every loop");
        }

        // stop() stopped, joined and closed the loops, and closed the listening sockets.
        for (IOLoop loop : loops) {
            assertFalse(loop.isRunning());
            assertTrue(loop.isClosed());
        }
        assertThrows(ConnectException.class, () -> new Socket(LOOPBACK4, port).close());
        server.stop(); // idempotent
    }

    @ParameterizedTest(name = "SO_REUSEPORT: {0}")
    @ValueSource(booleans = {true, false})
    void stopClosesTheConnectionsOfTheLoopsItStarted(boolean reusePort) throws Exception {
        assumeTrue(!reusePort || NetUtil.reusePortSupported(), "no SO_REUSEPORT here");
        CountDownLatch serving = new CountDownLatch(1);
        TcpServer server = TcpServer.builder((stream, remote) -> {
            await(stream.write(await(stream.readUntil(NL))));
            serving.countDown();
            await(stream.readUntilClose());
        }).reusePort(reusePort).build();
        int port = server.bind(0, "127.0.0.1");
        server.start(2);
        TcpClient client = closeLater(new TcpClient());
        IOStream[] stream = new IOStream[1];
        try {
            run(() -> {
                stream[0] = closeLater(await(client.connect("127.0.0.1", port)));
                assertEquals("open\n", roundTrip(stream[0], "open"));
            });
            assertTrue(serving.await(10, TimeUnit.SECONDS));
        } finally {
            server.stop();
        }
        run(() -> assertArrayEquals(new byte[0], await(stream[0].readUntilClose()), "the server closed it"));
    }
}
