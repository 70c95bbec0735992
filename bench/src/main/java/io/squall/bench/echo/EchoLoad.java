package io.squall.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load generator for the echo benchmark. Each of C connections (one platform thread each) writes a
 * window of W messages of S bytes at once, reads the W×S echoed bytes back, and repeats until the
 * duration ends. Prints one line: messages/s and MB/s (echoed bytes, one direction).
 *
 * <p>Usage: {@code EchoLoad PORT SIZE_BYTES CONNECTIONS WINDOW SECONDS}
 */
public final class EchoLoad {
    private EchoLoad() {}

    /** Runs the load; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        int window = Integer.parseInt(args[3]);
        double seconds = Double.parseDouble(args[4]);

        LongAdder messages = new LongAdder();
        long warmupEnd = System.nanoTime() + 1_000_000_000L;
        long end = warmupEnd + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    run(port, size, window, warmupEnd, end, messages);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double msgPerSec = messages.sum() / seconds;
        System.out.println(String.format(Locale.ROOT, "messages/s %.0f MB/s %.1f", msgPerSec, msgPerSec * size / 1e6));
    }

    private static void run(int port, int size, int window, long warmupEnd, long end, LongAdder messages) throws IOException {
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            ch.socket().setTcpNoDelay(true);
            ByteBuffer out = ByteBuffer.allocateDirect(size * window);
            for (int i = 0; i < out.capacity(); i++) {
                out.put(i, (byte) i);
            }
            ByteBuffer in = ByteBuffer.allocateDirect(size * window);
            long now;
            while ((now = System.nanoTime()) < end) {
                out.clear();
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    if (ch.read(in) < 0) {
                        throw new IOException("server closed the connection");
                    }
                }
                if (now >= warmupEnd) {
                    messages.add(window);
                }
            }
        }
    }
}
