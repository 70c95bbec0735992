package io.squall.bench.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Holds idle keep-alive connections open against an HTTP server, for measuring what a held connection
 * costs the server ({@code bench/scripts/storm.sh}). Opens N connections in batches of
 * {@value #BATCH} (each batch connects, sends one {@code GET /} per connection and reads every
 * response in full before the next batch starts, so the listen queue never overflows), then prints
 * {@code ready N} on standard output and keeps the connections open and silent until it is killed.
 * While it waits it watches them: a connection the server closes is reported on standard error
 * ({@code closed by the server: K of N}), since it would make the measurement wrong.
 *
 * <p>Usage: {@code IdleConnections PORT N}
 */
public final class IdleConnections {
    /** Connections opened and answered together. */
    private static final int BATCH = 256;

    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private IdleConnections() {}

    /** Opens the connections, then holds them until killed; see the class comment for the arguments. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: IdleConnections PORT N");
        }
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        int count = Integer.parseInt(args[1]);
        List<SocketChannel> held = new ArrayList<>(count);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        while (held.size() < count) {
            List<SocketChannel> batch = new ArrayList<>(BATCH);
            for (int i = Math.min(BATCH, count - held.size()); i > 0; i--) {
                SocketChannel channel = SocketChannel.open(server);
                channel.write(ByteBuffer.wrap(REQUEST));
                batch.add(channel);
            }
            for (SocketChannel channel : batch) {
                readResponse(channel, in);
            }
            held.addAll(batch);
        }
        System.out.println("ready " + held.size());
        System.out.flush();
        watch(held);
    }

    /**
     * Reads one response to its last byte: a {@code 200} head with a {@code Content-Length}, then that many
     * body bytes. Fails on anything else, or if the server does not keep the connection open.
     */
    private static void readResponse(SocketChannel channel, ByteBuffer in) throws IOException {
        in.clear();
        int headEnd;
        while ((headEnd = headEnd(in)) < 0) {
            fill(channel, in);
        }
        String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
        String lower = head.toLowerCase(Locale.ROOT);
        if (!head.startsWith("HTTP/1.1 200 ") || lower.contains("\r\nconnection: close")) {
            throw new IOException("not a 200 keep-alive response:\n" + head);
        }
        int length = contentLength(lower);
        while (in.position() < headEnd + length) {
            fill(channel, in);
        }
        if (in.position() > headEnd + length) {
            throw new IOException("more bytes than the response's Content-Length:\n" + head);
        }
    }

    private static void fill(SocketChannel channel, ByteBuffer in) throws IOException {
        if (!in.hasRemaining()) {
            throw new IOException("response larger than " + in.capacity() + " bytes");
        }
        if (channel.read(in) < 0) {
            throw new EOFException("the server closed a connection before its response ended");
        }
    }

    /** The index just past the head's blank line in the bytes read so far, or -1. */
    private static int headEnd(ByteBuffer in) {
        byte[] bytes = in.array();
        for (int i = 3; i < in.position(); i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int contentLength(String lowerCaseHead) throws IOException {
        String field = "\r\ncontent-length:";
        int at = lowerCaseHead.indexOf(field);
        if (at < 0) {
            throw new IOException("response without Content-Length:\n" + lowerCaseHead);
        }
        int end = lowerCaseHead.indexOf('\r', at + field.length());
        return Integer.parseInt(lowerCaseHead.substring(at + field.length(), end).strip());
    }

    /** Waits, forever, for the server to close (or send on) any held connection, and reports each one. */
    private static void watch(List<SocketChannel> held) throws IOException {
        try (Selector selector = Selector.open()) {
            for (SocketChannel channel : held) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ);
            }
            ByteBuffer discard = ByteBuffer.allocate(4096);
            int closed = 0;
            while (true) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    discard.clear();
                    SocketChannel channel = (SocketChannel) key.channel();
                    int n;
                    try {
                        n = channel.read(discard);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        channel.close();
                        closed++;
                        System.err.println("closed by the server: " + closed + " of " + held.size());
                    } else {
                        System.err.println("unexpected bytes from the server on an idle connection: " + n);
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }
}
