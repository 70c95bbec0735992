package io.squall.bench.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The load of {@code bench/scripts/storm.sh}: opens {@code N} connections to 127.0.0.1:{@code port} at
 * once (as fast as one thread can issue non-blocking connects), each sending {@code GET PATH} with
 * {@code Connection: close} as soon as it is connected and reading the answer until the server closes.
 * Prints one line: {@code seconds ok failed}, the wall time from the first connect to the last answer.
 * Gives up after 60 s (the unanswered count as failed).
 *
 * <p>Usage: {@code StormClient PORT [N=10000] [PATH=/sleep]}
 */
public final class StormClient {
    private static final long GIVE_UP_NANOS = 60_000_000_000L;

    private StormClient() {}

    /** One connection's progress: whether its answer began with a 200 status line. */
    private static final class Conn {
        final SocketChannel channel;
        boolean ok;
        boolean first = true;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** Runs the storm; see the class comment. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String path = args.length > 2 ? args[2] : "/sleep";
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] okPrefix = "HTTP/1.1 200".getBytes(StandardCharsets.ISO_8859_1);
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        int ok = 0;
        int failed = 0;
        try (Selector selector = Selector.open()) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Conn conn = new Conn(channel);
                try {
                    if (channel.connect(target)) {
                        channel.write(ByteBuffer.wrap(request));
                        channel.register(selector, SelectionKey.OP_READ, conn);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, conn);
                    }
                } catch (IOException e) {
                    channel.close();
                    failed++;
                }
            }
            while (ok + failed < n && System.nanoTime() - start < GIVE_UP_NANOS) {
                selector.select(1000);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            conn.channel.finishConnect();
                            conn.channel.write(ByteBuffer.wrap(request)); // a few bytes: one write takes them
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            in.clear();
                            int read = conn.channel.read(in);
                            if (read > 0 && conn.first) {
                                conn.first = false;
                                in.flip();
                                conn.ok = in.remaining() >= okPrefix.length;
                                for (int i = 0; conn.ok && i < okPrefix.length; i++) {
                                    conn.ok = in.get(i) == okPrefix[i];
                                }
                            }
                            if (read < 0) {
                                key.cancel();
                                conn.channel.close();
                                if (conn.ok) {
                                    ok++;
                                } else {
                                    failed++;
                                }
                            }
                        }
                    } catch (IOException e) {
                        key.cancel();
                        conn.channel.close();
                        failed++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            failed = n - ok;
            System.out.printf("%.3f %d %d%n", seconds, ok, failed);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
    }
}
