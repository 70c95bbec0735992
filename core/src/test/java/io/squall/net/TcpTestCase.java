package io.squall.net;

import static io.squall.testing.TestBytes.*;
import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.testing.AsyncTestCase;
import io.squall.testing.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/** Helpers for {@link TcpServer} and {@link TcpClient} tests: servers on loopback, a line echo, digests. */
abstract class TcpTestCase extends AsyncTestCase {
    static final byte[] NL = {'\n'};

    /** What a server handler received: the first line and the peer's address. */
    record Received(String line, InetSocketAddress remote) {}

    /**
     * A plain server on this test's loop that completes {@code received} with the first line of the
     * first connection, echoes it back and keeps echoing lines until the client leaves. Call inside
     * {@link #run}.
     */
    TcpServer recordingServer(Future<Received> received) {
        return closeLater(new TcpServer((stream, remote) -> {
            byte[] line = await(stream.readUntil(NL));
            received.trySetResult(new Received(str(line), (InetSocketAddress) remote));
            await(stream.write(line));
            echoLines(stream, remote);
        }));
    }

    /** A handler that echoes lines until the client closes (its read then fails with StreamClosedError). */
    static void echoLines(IOStream stream, SocketAddress ignored) {
        while (true) {
            await(stream.write(await(stream.readUntil(NL))));
        }
    }

    /**
     * Makes {@code server} listen on one free port on 127.0.0.1 and, where it can be bound, ::1;
     * returns the port.
     */
    int listenOnBothLoopbacks(TcpServer server) throws IOException {
        List<InetAddress> addresses = new ArrayList<>(List.of(NetTestSupport.LOOPBACK4));
        if (NetTestSupport.ipv6LoopbackAvailable()) {
            addresses.add(NetTestSupport.LOOPBACK6);
        }
        List<ServerSocketChannel> channels = NetUtil.bindSockets(0, addresses, NetUtil.DEFAULT_BACKLOG, false);
        server.addSockets(loop, channels);
        return NetTestSupport.localAddress(channels.getFirst()).getPort();
    }

    /** Writes {@code line} plus a newline and returns the line the server echoes back. */
    static String roundTrip(IOStream stream, String line) {
        await(stream.write(bytes(line + "\n")));
        return str(await(stream.readUntil(NL)));
    }

    /** Runs blocking {@code code} on an executor thread, never on the loop; await the result in a coroutine. */
    <T> Future<T> offLoop(Callable<T> code) {
        return loop.runInExecutor(null, code);
    }

    /**
     * Awaits until {@code log} holds an event at {@code level} containing {@code text}: for log lines
     * written by a done callback the test cannot hook into. Gives up after about five seconds.
     */
    static void awaitLog(LogCapture log, ch.qos.logback.classic.Level level, String text) {
        for (int i = 0; i < 5000 && log.count(level, text) == 0; i++) {
            await(sleep(ms(1)));
        }
    }

    /** The first throwable of type {@code type} in the cause chain of {@code error}, or null. */
    static <T extends Throwable> T causeOfType(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** What {@code code} throws, with a {@link CompletionException} (checked failures through await) unwrapped. */
    static Throwable failureOf(Callable<?> code) {
        try {
            code.call();
        } catch (CompletionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }




}
