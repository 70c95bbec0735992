package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import io.squall.testing.LogCapture;
import io.squall.testing.AsyncTestCase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** I/O handlers on real loopback sockets (ioloop_test items 6, 7, 8, 12). */
class HandlersTest extends AsyncTestCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ServerSocketChannel server;
    private final List<SelectableChannel> opened = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        opened.add(server);
    }

    @AfterEach
    void closeChannels() throws IOException {
        for (SelectableChannel c : opened) {
            c.close();
        }
    }

    /** A connected pair: {@code client} (blocking, for the test to write with) and {@code accepted}. */
    private record Pair(SocketChannel client, SocketChannel accepted) {}

    private Pair connect() throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        opened.add(client);
        opened.add(accepted);
        return new Pair(client, accepted);
    }

    /**
     * Registers a handler for {@code events} on {@code channel} that removes itself when first called; the
     * future completes with what {@code firstCall} makes of that call.
     */
    private <T> Future<T> once(SelectableChannel channel, int events, BiFunction<SelectableChannel, Integer, T> firstCall) {
        Future<T> result = new Future<>();
        loop.addHandler(channel, (ch, ev) -> {
            loop.removeHandler(ch);
            result.setResult(firstCall.apply(ch, ev));
        }, events);
        return result;
    }

    private static void write(SocketChannel channel, String text) {
        try {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAvailable(SelectableChannel channel) {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        try {
            ((SocketChannel) channel).read(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }

    /** Blocks until every channel has bytes to read, so that all are ready in the loop's next select. */
    private static void awaitReadable(SocketChannel... channels) throws IOException {
        Set<SelectableChannel> ready = new HashSet<>();
        try (Selector probe = Selector.open()) {
            for (SocketChannel c : channels) {
                c.configureBlocking(false);
                c.register(probe, SelectionKey.OP_READ);
            }
            long giveUp = System.nanoTime() + TIMEOUT.toNanos();
            while (ready.size() < channels.length && System.nanoTime() < giveUp) {
                probe.select(key -> ready.add(key.channel()), 1000);
            }
        }
        assertEquals(channels.length, ready.size(), "all channels readable");
    }

    /** Item 7: a handler registered for READ only never receives WRITE, though the socket is writable. */
    @Test
    void readOnlyHandlerNeverReceivesWrite() throws IOException {
        Pair pair = connect();
        List<Integer> events = loop.runSync(() -> {
            List<Integer> seen = new ArrayList<>();
            Future<Void> gotData = new Future<>();
            StringBuilder data = new StringBuilder();
            loop.addHandler(pair.accepted(), (ch, ev) -> {
                seen.add(ev);
                data.append(readAvailable(ch));
                if (data.toString().equals("ping")) {
                    gotData.trySetResult(null);
                }
            }, IOLoop.READ);
            for (int i = 0; i < 3; i++) {
                await(moment()); // several iterations in which the socket is writable but not readable
            }
            write(pair.client(), "ping");
            await(gotData);
            loop.removeHandler(pair.accepted());
            return seen;
        }, TIMEOUT);
        assertFalse(events.isEmpty());
        assertTrue(events.stream().allMatch(e -> e == IOLoop.READ), "events: " + events);
    }

    @Test
    void writeHandlerReceivesWriteOnAConnectedSocket() throws IOException {
        Pair pair = connect();
        int events = loop.runSync(() -> {
            return await(once(pair.accepted(), IOLoop.WRITE, (ch, ev) -> ev));
        }, TIMEOUT);
        assertEquals(IOLoop.WRITE, events);
    }

    @Test
    void updateHandlerChangesTheEvents() throws IOException {
        Pair pair = connect();
        int events = loop.runSync(() -> {
            Future<Integer> writable = once(pair.accepted(), IOLoop.READ, (ch, ev) -> ev);
            await(moment());
            assertFalse(writable.isDone(), "not readable yet");
            loop.updateHandler(pair.accepted(), IOLoop.WRITE);
            return await(writable);
        }, TIMEOUT);
        assertEquals(IOLoop.WRITE, events);
    }

    /** Item 6: the handler receives exactly the object that was registered. */
    @Test
    void handlerReceivesExactlyTheRegisteredChannel() throws IOException {
        Pair pair = connect();
        write(pair.client(), "x");
        SelectableChannel received = loop.runSync(() -> {
            return await(once(pair.accepted(), IOLoop.READ, (ch, ev) -> ch));
        }, TIMEOUT);
        assertSame(pair.accepted(), received);
    }

    @Test
    void serverChannelIsReadableWhenAConnectionWaits() throws IOException {
        server.configureBlocking(false);
        List<Integer> events = new ArrayList<>();
        SocketChannel accepted = loop.runSync(() -> {
            Future<SocketChannel> conn = new Future<>();
            loop.addHandler(server, (ch, ev) -> {
                events.add(ev);
                try {
                    SocketChannel c = ((ServerSocketChannel) ch).accept();
                    if (c != null) {
                        loop.removeHandler(ch);
                        conn.setResult(c);
                    }
                } catch (IOException e) {
                    conn.setException(e);
                }
            }, IOLoop.READ);
            opened.add(SocketChannel.open(server.getLocalAddress()));
            return await(conn);
        }, TIMEOUT);
        opened.add(accepted);
        assertTrue(accepted.isConnected());
        assertTrue(events.stream().allMatch(e -> e == IOLoop.READ), "accept readiness is READ: " + events);
    }

    /** Item 6: registering the same channel twice fails; after removeHandler it can be registered again. */
    @Test
    void registeringTheSameChannelTwiceThrows() throws IOException {
        Pair pair = connect();
        String data = loop.runSync(() -> {
            loop.addHandler(pair.accepted(), (ch, ev) -> {}, IOLoop.READ);
            assertThrows(IllegalStateException.class,
                    () -> loop.addHandler(pair.accepted(), (ch, ev) -> {}, IOLoop.READ));
            loop.removeHandler(pair.accepted());
            Future<String> read = once(pair.accepted(), IOLoop.READ, (ch, ev) -> readAvailable(ch));
            write(pair.client(), "again");
            return await(read);
        }, TIMEOUT);
        assertEquals("again", data);
    }

    /** Item 6: removeHandler on a channel that was never added is a no-op. */
    @Test
    void removeHandlerOfAnUnregisteredChannelIsANoOp() throws IOException {
        Pair pair = connect();
        assertEquals("fine", loop.runSync(() -> {
            loop.removeHandler(pair.accepted());
            loop.removeHandler(pair.accepted());
            return "fine";
        }, TIMEOUT));
        assertTrue(pair.accepted().isOpen());
    }

    /** Control for the next test: two channels ready at once are handled in one iteration. */
    @Test
    void twoReadyChannelsAreHandledInTheSameIteration() throws IOException {
        Pair one = connect();
        Pair two = connect();
        write(one.client(), "1");
        write(two.client(), "2");
        awaitReadable(one.accepted(), two.accepted());
        List<String> calls = runBothHandlers(loop, one, two, false);
        assertEquals(3, calls.size(), "calls: " + calls);
        assertEquals("end of iteration", calls.get(2), "both handlers ran before the iteration's callbacks");
    }

    /** Item 8: removing handler B from handler A, both ready in the same iteration, means B is not called. */
    @Test
    void handlerRemovedByAnotherInTheSameIterationIsNotCalled() throws IOException {
        Pair one = connect();
        Pair two = connect();
        write(one.client(), "1");
        write(two.client(), "2");
        awaitReadable(one.accepted(), two.accepted());
        List<String> calls = runBothHandlers(loop, one, two, true);
        assertEquals(2, calls.size(), "calls: " + calls);
        assertEquals("end of iteration", calls.get(1));
    }

    /**
     * Registers a READ handler on both accepted channels in one step. Each handler records its call
     * (and, if {@code removeBoth}, removes both handlers); the first call also queues a callback that
     * marks the end of the iteration.
     */
    private static List<String> runBothHandlers(IOLoop loop, Pair one, Pair two, boolean removeBoth) {
        return loop.runSync(() -> {
            List<String> calls = new ArrayList<>();
            Future<Void> iterationEnded = new Future<>();
            IOHandler handler = (ch, ev) -> {
                calls.add(ch == one.accepted() ? "one" : "two");
                if (removeBoth) {
                    loop.removeHandler(one.accepted());
                    loop.removeHandler(two.accepted());
                } else {
                    readAvailable(ch);
                    loop.removeHandler(ch);
                }
                if (!iterationEnded.isDone() && calls.size() == 1) {
                    loop.addCallback(() -> {
                        calls.add("end of iteration");
                        iterationEnded.setResult(null);
                    });
                }
            };
            loop.addHandler(one.accepted(), handler, IOLoop.READ);
            loop.addHandler(two.accepted(), handler, IOLoop.READ);
            await(iterationEnded);
            for (int i = 0; i < 3; i++) {
                await(moment()); // a removed handler must not be called in later iterations either
            }
            return calls;
        }, TIMEOUT);
    }

    /**
     * Both channels are readable and writable, with READ|WRITE handlers; whichever handler runs first
     * narrows the other to WRITE in the same iteration. The other must then see only WRITE, not the
     * READ readiness selected before the change.
     */
    @Test
    void handlerNarrowedToWriteEarlierInTheIterationGetsNoStaleRead() throws IOException {
        Pair one = connect();
        Pair two = connect();
        write(one.client(), "1");
        write(two.client(), "2");
        awaitReadable(one.accepted(), two.accepted());
        List<Integer> eventsOfSwitched = loop.runSync(() -> {
            List<Integer> events = new ArrayList<>();
            SelectableChannel[] switched = new SelectableChannel[1];
            Future<Void> sawWrite = new Future<>();
            IOHandler handler = (ch, ev) -> {
                if (switched[0] == null) {
                    switched[0] = ch == one.accepted() ? two.accepted() : one.accepted();
                    loop.removeHandler(ch);
                    loop.updateHandler(switched[0], IOLoop.WRITE);
                    return;
                }
                events.add(ev);
                if (ev == IOLoop.WRITE) {
                    loop.removeHandler(ch);
                    sawWrite.setResult(null);
                }
            };
            loop.addHandler(one.accepted(), handler, IOLoop.READ | IOLoop.WRITE);
            loop.addHandler(two.accepted(), handler, IOLoop.READ | IOLoop.WRITE);
            await(sawWrite);
            return events;
        }, TIMEOUT);
        assertEquals(List.of(IOLoop.WRITE), eventsOfSwitched);
    }

    /** A handler may drop its registration and register the channel again, e.g. with another handler. */
    @Test
    void handlerCanRemoveAndReAddItsOwnChannel() throws IOException {
        Pair pair = connect();
        write(pair.client(), "first");
        List<String> reads = loop.runSync(() -> {
            List<String> seen = new ArrayList<>();
            Future<Void> second = new Future<>();
            loop.addHandler(pair.accepted(), (ch, ev) -> {
                seen.add(readAvailable(ch));
                loop.removeHandler(ch);
                loop.addHandler(ch, (ch2, ev2) -> {
                    seen.add(readAvailable(ch2));
                    loop.removeHandler(ch2);
                    second.setResult(null);
                }, IOLoop.READ);
                write(pair.client(), "second");
            }, IOLoop.READ);
            await(second);
            return seen;
        }, TIMEOUT);
        assertEquals(List.of("first", "second"), reads);
    }

    @Test
    void exceptionInAHandlerIsLoggedAndTheLoopGoesOn() throws IOException {
        Pair pair = connect();
        write(pair.client(), "x");
        try (LogCapture log = LogCapture.of(IOLoop.class); IOLoop loop = new IOLoop()) {
            assertEquals("still running", loop.runSync(() -> {
                Future<Void> called = new Future<>();
                loop.addHandler(pair.accepted(), (ch, ev) -> {
                    loop.removeHandler(ch);
                    called.setResult(null);
                    throw new IllegalStateException("boom in handler");
                }, IOLoop.READ);
                await(called);
                await(moment());
                return "still running";
            }, TIMEOUT));
            assertEquals(1, log.matching(Level.ERROR, "Exception in callback").stream()
                    .filter(e -> "boom in handler".equals(LogCapture.thrownMessage(e))).count());
        }
    }

    /** Item 12: close(true) closes the registered channels; close(false) leaves them open. */
    @Test
    void closeWithChannelsClosesRegisteredChannels() throws IOException {
        Pair pair = connect();
        IOLoop loop = new IOLoop();
        loop.addHandler(pair.accepted(), (ch, ev) -> {}, IOLoop.READ);
        loop.addHandler(server, (ch, ev) -> {}, IOLoop.READ);
        loop.close(true);
        assertFalse(pair.accepted().isOpen());
        assertFalse(server.isOpen());
        assertTrue(pair.client().isOpen(), "an unregistered channel is left alone");
    }

    @Test
    void plainCloseLeavesRegisteredChannelsOpen() throws IOException {
        Pair pair = connect();
        IOLoop loop = new IOLoop();
        loop.addHandler(pair.accepted(), (ch, ev) -> {}, IOLoop.READ);
        loop.close();
        assertTrue(pair.accepted().isOpen());
    }

    /**
     * A registered channel closed through {@link IOLoop#closeChannel} gives its descriptor back at once
     * (from a callback) or before any callback runs (from a handler): the pipe's writer sees no reader
     * left. A plain {@code close()} would keep the descriptor until the selector's next poll.
     */
    @Test
    void closeChannelReleasesTheDescriptorAtOnce() throws IOException {
        Pipe fromCallback = Pipe.open();
        Pipe fromHandler = Pipe.open();
        fromHandler.sink().write(ByteBuffer.wrap(new byte[] {1})); // makes its source ready: the handler runs
        Throwable[] writes = new Throwable[2];
        loop.runSync(() -> {
            Future<Void> done = new Future<>();
            loop.addHandler(fromCallback.source(), (ch, ev) -> {}, IOLoop.READ);
            loop.addHandler(fromHandler.source(), (ch, ev) -> {
                closeQuietly(ch);
                loop.addCallback(() -> {
                    writes[1] = writeFails(fromHandler);
                    done.setResult(null);
                });
            }, IOLoop.READ);
            loop.addCallback(() -> {
                closeQuietly(fromCallback.source());
                writes[0] = writeFails(fromCallback);
            });
            return await(done);
        }, TIMEOUT);
        assertInstanceOf(IOException.class, writes[0], "closed from a callback: the reader's descriptor is gone");
        assertInstanceOf(IOException.class, writes[1], "closed from a handler: gone before the next callback");
        fromCallback.sink().close();
        fromHandler.sink().close();
    }

    private void closeQuietly(SelectableChannel channel) {
        try {
            loop.closeChannel(channel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What writing to the pipe throws (a broken pipe once no descriptor reads it); null if the write succeeds. */
    private static Throwable writeFails(Pipe pipe) {
        try {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {2}));
            return null;
        } catch (IOException e) {
            return e;
        }
    }
}
