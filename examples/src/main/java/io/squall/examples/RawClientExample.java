package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.ioloop.IOLoop;
import io.squall.net.TcpClient;
import io.squall.net.TcpServer;
import java.io.PrintStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Tornado's concurrency experiment over raw streams. A TCP server answers each HTTP request after a
 * non-blocking one-second sleep (a handler awaiting {@code gen.sleep(1)} in Tornado); a client sends two
 * requests over {@link IOStream}s, first one after the other (about 2 s), then from two coroutines at
 * once (about 1 s, as a selector-based client gets). Prints each response and both times.
 */
public final class RawClientExample {
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] BODY = "Hello, world\n".getBytes(StandardCharsets.ISO_8859_1);

    private final PrintStream out;

    /** Creates the example printing to {@code out}. */
    public RawClientExample(PrintStream out) {
        this.out = out;
    }

    /** Runs the experiment on a fresh loop; returns the sequential and the concurrent time in seconds. */
    public double[] run() {
        try (IOLoop loop = new IOLoop(); TcpServer server = new TcpServer(RawClientExample::serveSlowly);
             TcpClient client = new TcpClient()) {
            return loop.runSync(() -> {
                int port = server.listen(0, "127.0.0.1");
                long start = System.nanoTime();
                await(request(client, port));
                await(request(client, port));
                double sequential = report("one after the other", start);

                start = System.nanoTime();
                await(multi(List.of(request(client, port), request(client, port))));
                double concurrent = report("two coroutines at once", start);
                return new double[] {sequential, concurrent};
            });
        }
    }

    /** The server side: every request is answered after a one-second sleep that blocks no one. */
    private static void serveSlowly(IOStream stream, SocketAddress address) {
        try {
            while (true) {
                await(stream.readUntil(HEAD_END, 64 * 1024));
                await(sleep(Duration.ofSeconds(1)));
                String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length + "\r\n\r\n";
                await(stream.write(head.getBytes(StandardCharsets.ISO_8859_1)));
                await(stream.write(BODY));
            }
        } catch (StreamClosedError e) {
            stream.close(); // the client went away
        }
    }

    private Future<Void> request(TcpClient client, int port) {
        return spawn(() -> {
            IOStream stream = await(client.connect("127.0.0.1", port));
            try (stream) {
                await(stream.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
                byte[] head = await(stream.readUntil(HEAD_END, 64 * 1024));
                byte[] body = await(stream.readBytes(BODY.length));
                out.print(new String(head, StandardCharsets.ISO_8859_1) + new String(body, StandardCharsets.ISO_8859_1));
            }
        });
    }

    private double report(String how, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.println(String.format(Locale.ROOT, "%s: use time: %.2f second(s)", how, seconds));
        return seconds;
    }
}
