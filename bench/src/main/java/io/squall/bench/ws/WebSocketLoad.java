package io.squall.bench.ws;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The WebSocket load generator of {@code bench/scripts/ws.sh}, independent of Squall's own WebSocket
 * code: one thread, one NIO selector, plain RFC 6455 on the wire. Each connection does the opening
 * handshake (checking the 101 and its {@code Sec-WebSocket-Accept}; no extension is offered, so no
 * permessage-deflate), then:
 *
 * <ul>
 *   <li>{@code echo}: once all connections are open, each loops sending one message (a masked frame with a fresh random mask each time, as
 *       RFC 6455 §5.3 requires of a client) and waiting for its echo, which must be one unmasked final
 *       frame of the same type and length whose every byte equals the sent message. Messages are
 *       {@code small} (32 random ASCII letters, text) or {@code 64k} (65,536 bytes, binary, a random
 *       block per connection whose first 8 bytes count the messages). After a warm-up it counts the
 *       round trips of the measured period, and reads the server's CPU time from {@code /proc} around it.
 *       Prints {@code <round trips/s> <failures> <server CPU µs per round trip> <open connections>}.
 *   <li>{@code idle}: opens the connections, prints {@code open <n> failed <f>}, and holds them, silent,
 *       until killed.
 * </ul>
 *
 * A failure is a connection refused or closed, a bad handshake, or a wrong echo: the connection is
 * counted and dropped (not replaced). At most {@value #CONNECTING} handshakes are in flight at a time, so
 * that thousands of connects do not overflow the server's accept queue.
 *
 * <p>Usage: {@code echo <port> small|64k <connections> <warm-up s> <measured s> <server pid> <clock ticks/s>},
 * {@code idle <port> <connections>}.
 */
public final class WebSocketLoad {
    private static final int CONNECTING = 256;
    private static final long CONNECT_PHASE_NANOS = 60_000_000_000L;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final int port;
    private final boolean big;
    private final boolean echo;
    private final Selector selector;
    private final SplittableRandom random = new SplittableRandom(20261207);
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
    private final List<Conn> conns = new ArrayList<>();
    private long roundTrips;
    private long failures;
    private int open;

    private WebSocketLoad(int port, boolean big, boolean echo) throws IOException {
        this.port = port;
        this.big = big;
        this.echo = echo;
        this.selector = Selector.open();
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        if (mode.equals("idle")) {
            WebSocketLoad load = new WebSocketLoad(port, false, false);
            load.openAll(Integer.parseInt(args[2]));
            System.out.println("open " + load.open + " failed " + load.failures);
            System.out.flush();
            while (true) {
                load.selector.select(); // a server closing one is a failure (not expected); the rest stay
                load.handleSelected();
            }
        }
        if (!mode.equals("echo")) {
            throw new IllegalArgumentException("mode is echo or idle, not " + mode);
        }
        boolean big = switch (args[2]) {
            case "small" -> false;
            case "64k" -> true;
            default -> throw new IllegalArgumentException("size is small or 64k, not " + args[2]);
        };
        int connections = Integer.parseInt(args[3]);
        double warmup = Double.parseDouble(args[4]);
        double measured = Double.parseDouble(args[5]);
        long serverPid = Long.parseLong(args[6]);
        double hz = Double.parseDouble(args[7]);

        WebSocketLoad load = new WebSocketLoad(port, big, true);
        load.openAll(connections);
        load.startEchoing();
        load.runFor((long) (warmup * 1e9));
        long countBefore = load.roundTrips;
        long cpuBefore = cpuTicks(serverPid);
        long start = System.nanoTime();
        load.runFor((long) (measured * 1e9));
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpuAfter = cpuTicks(serverPid);
        long count = load.roundTrips - countBefore;
        double perRoundTrip = count == 0 ? 0 : (cpuAfter - cpuBefore) / hz * 1e6 / count;
        System.out.printf("%.0f %d %.1f %d%n", count / seconds, load.failures, perRoundTrip, load.open);
        for (Conn c : load.conns) {
            c.channel.close();
        }
    }

    /** utime + stime of a process, in clock ticks ({@code /proc/<pid>/stat} fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields from the 3rd on
    }

    // ------------------------------------------------------------------ connecting

    /** Connects {@code n} connections and does their handshakes, at most {@link #CONNECTING} at a time. */
    private void openAll(int n) throws IOException {
        int started = 0;
        long deadline = System.nanoTime() + CONNECT_PHASE_NANOS;
        while ((open + failures < n) && System.nanoTime() < deadline) {
            while (started < n && started - open - failures < CONNECTING) {
                startConnect();
                started++;
            }
            selector.select(100);
            handleSelected();
        }
        if (open + failures < n) {
            System.err.println((n - open - failures) + " connections not open after the connect phase");
            failures += n - open - failures;
        }
    }

    /** Every open connection sends its first message: the echo loops start together, once all are open. */
    private void startEchoing() {
        for (Conn c : conns) {
            if (c.opened && !c.dead) {
                try {
                    c.sendNext();
                } catch (IOException | RuntimeException e) {
                    c.fail(e);
                }
            }
        }
    }

    private void startConnect() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(channel);
        conns.add(c);
        try {
            if (channel.connect(new InetSocketAddress("127.0.0.1", port))) {
                c.sendHandshake();
            } else {
                c.key = channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            c.fail(e);
        }
    }

    // ------------------------------------------------------------------ the loop

    private void runFor(long nanos) throws IOException {
        long deadline = System.nanoTime() + nanos;
        long now;
        while ((now = System.nanoTime()) < deadline) {
            selector.select(Math.max(1, (deadline - now) / 1_000_000));
            handleSelected();
        }
    }

    private void handleSelected() {
        var keys = selector.selectedKeys();
        for (SelectionKey key : keys) {
            Conn c = (Conn) key.attachment();
            try {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isConnectable()) {
                    c.channel.finishConnect();
                    c.sendHandshake();
                    continue;
                }
                if (key.isWritable()) {
                    c.flush();
                }
                if (key.isValid() && key.isReadable()) {
                    c.read();
                }
            } catch (IOException | RuntimeException e) {
                c.fail(e);
            }
        }
        keys.clear();
    }

    /** One connection: its handshake, then its messages and the parse state of the echo being read. */
    private final class Conn {
        final SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        String expectedAccept;
        /** The head of the handshake's answer, until it is complete; null once open. */
        ByteBuffer head = ByteBuffer.allocate(1024);
        boolean opened;
        boolean dead;

        /** The message sent and expected back (unmasked), and the frame on the wire (masked). */
        byte[] message;
        byte[] frame;
        long sequence;
        /** The echo's frame header being read, its payload length and how much of it matched so far. */
        final byte[] header = new byte[10];
        int headerRead;
        int headerNeed = 2;
        int payloadLength = -1;
        int payloadRead;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }

        void sendHandshake() throws IOException {
            byte[] keyBytes = new byte[16];
            random.nextBytes(keyBytes);
            String wsKey = Base64.getEncoder().encodeToString(keyBytes);
            expectedAccept = accept(wsKey);
            out = ByteBuffer.wrap(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + wsKey
                    + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            if (key == null) {
                key = channel.register(selector, 0, this);
            }
            flush();
        }

        /** Writes what is pending; waits for writability when the kernel takes only part. */
        void flush() throws IOException {
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
        }

        void read() throws IOException {
            if (head != null) {
                readHead();
                return;
            }
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                throw new IOException("closed by the server");
            }
            in.flip();
            while (in.hasRemaining() && !dead) {
                consume();
            }
        }

        private void readHead() throws IOException {
            if (channel.read(head) < 0) {
                throw new IOException("closed during the handshake");
            }
            int end = indexOf(head.array(), head.position(), END_OF_HEAD);
            if (end < 0) {
                if (!head.hasRemaining()) {
                    throw new IOException("handshake answer too long");
                }
                return;
            }
            String text = new String(head.array(), 0, end, StandardCharsets.ISO_8859_1);
            boolean extra = head.position() > end + 4;
            head = null;
            if (!text.startsWith("HTTP/1.1 101") || extra
                    || !text.toLowerCase().contains("\r\nsec-websocket-accept: " + expectedAccept.toLowerCase())
                    || text.toLowerCase().contains("sec-websocket-extensions")) {
                throw new IOException("bad handshake answer: " + text);
            }
            opened = true;
            open++;
        }

        /** Consumes bytes of the echo from {@link #in}. */
        private void consume() throws IOException {
            if (payloadLength < 0) {
                int n = Math.min(headerNeed - headerRead, in.remaining());
                in.get(header, headerRead, n);
                headerRead += n;
                if (headerRead == 2) {
                    int length7 = header[1] & 0x7F;
                    headerNeed = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
                }
                if (headerRead < headerNeed) {
                    return;
                }
                long length = header[1] & 0x7F;
                if (headerNeed == 4) {
                    length = (header[2] & 0xFF) << 8 | header[3] & 0xFF;
                } else if (headerNeed == 10) {
                    length = ByteBuffer.wrap(header, 2, 8).getLong();
                }
                int expectedFirst = 0x80 | (big ? 0x2 : 0x1); // FIN, no RSV, binary or text
                if ((header[0] & 0xFF) != expectedFirst || (header[1] & 0x80) != 0 || length != message.length) {
                    throw new IOException("unexpected frame header " + (header[0] & 0xFF) + " length " + length);
                }
                payloadLength = (int) length;
                payloadRead = 0;
            }
            int n = Math.min(payloadLength - payloadRead, in.remaining());
            if (n > 0) {
                ByteBuffer got = in.slice(in.position(), n);
                if (got.mismatch(ByteBuffer.wrap(message, payloadRead, n)) >= 0) {
                    throw new IOException("echo differs from the message sent");
                }
                in.position(in.position() + n);
                payloadRead += n;
            }
            if (payloadRead == payloadLength) {
                roundTrips++;
                payloadLength = -1;
                headerRead = 0;
                headerNeed = 2;
                if (in.hasRemaining()) {
                    throw new IOException("bytes after the echo, before the next message was sent");
                }
                sendNext();
            }
        }

        /** Builds the next message and its masked frame, and writes it. */
        void sendNext() throws IOException {
            int length = big ? 65536 : 32;
            if (message == null) {
                message = new byte[length];
                int lengthBytes = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
                frame = new byte[2 + lengthBytes + 4 + length];
                frame[0] = (byte) (0x80 | (big ? 0x2 : 0x1));
                if (lengthBytes == 0) {
                    frame[1] = (byte) (0x80 | length);
                } else {
                    frame[1] = (byte) (0x80 | (lengthBytes == 2 ? 126 : 127));
                    for (int i = 0; i < lengthBytes; i++) {
                        frame[2 + i] = (byte) ((long) length >>> 8 * (lengthBytes - 1 - i));
                    }
                }
                if (big) {
                    random.nextBytes(message);
                }
            }
            if (big) {
                LONGS.set(message, 0, sequence++);
            } else {
                for (int i = 0; i < length; i++) {
                    message[i] = (byte) ('a' + random.nextInt(26));
                }
            }
            int maskAt = frame.length - length - 4;
            int mask = random.nextInt();
            frame[maskAt] = (byte) (mask >>> 24);
            frame[maskAt + 1] = (byte) (mask >>> 16);
            frame[maskAt + 2] = (byte) (mask >>> 8);
            frame[maskAt + 3] = (byte) mask;
            int at = maskAt + 4;
            // The 4-byte mask repeated over a long (byte order of the array view: little-endian).
            long m = Integer.reverseBytes(mask) & 0xFFFFFFFFL;
            long mask8 = m | m << 32;
            int i = 0;
            for (; i + 8 <= length; i += 8) {
                LONGS.set(frame, at + i, (long) LONGS.get(message, i) ^ mask8);
            }
            for (; i < length; i++) {
                frame[at + i] = (byte) (message[i] ^ frame[maskAt + (i & 3)]);
            }
            out = ByteBuffer.wrap(frame);
            flush();
        }

        void fail(Exception cause) {
            if (failures == 0) {
                System.err.println("first failure: " + cause);
            }
            if (!dead) {
                dead = true;
                failures++;
                if (opened) {
                    open--;
                }
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static int indexOf(byte[] data, int end, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= end; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
