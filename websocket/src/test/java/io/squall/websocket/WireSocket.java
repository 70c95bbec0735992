package io.squall.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A blocking WebSocket client over a plain socket that writes whatever bytes a test asks for (valid or
 * not) and reads frames as they come, for tests of the server's strictness. Use it from an executor
 * thread, never on the loop.
 */
final class WireSocket implements AutoCloseable {
    /** A frame as received. */
    record Frame(int opcode, boolean fin, boolean rsv1, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame, or -1 if it has none. */
        int closeCode() {
            return payload.length < 2 ? -1 : ByteBuffer.wrap(payload).getShort() & 0xFFFF;
        }

        String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    static final byte[] MASK = {0x37, (byte) 0xFA, 0x21, 0x3D};

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    /** The response head of the handshake, CRLFs included. */
    final String responseHead;

    private WireSocket(Socket socket, String responseHead) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        this.responseHead = responseHead;
    }

    /** Sends {@code head} (lines joined with CRLF, surrounding blank lines dropped, the empty line added) and reads the response head. */
    static WireSocket open(int port, String head, Duration timeout) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) timeout.toMillis());
        socket.getOutputStream().write((head.strip().replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        StringBuilder response = new StringBuilder();
        int b;
        while (!response.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0) {
            response.append((char) b);
        }
        return new WireSocket(socket, response.toString());
    }

    /** A valid upgrade request for {@code path}, with {@code extra} header lines (each ending in \n) added. */
    static String upgrade(String path, String extra) {
        return "GET " + path + " HTTP/1.1\nHost: 127.0.0.1\nUpgrade: websocket\nConnection: Upgrade\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n" + extra;
    }

    /** A frame's bytes: masked with {@link #MASK} if {@code masked}. */
    static byte[] frame(int opcode, boolean fin, byte[] payload, boolean masked) {
        ByteBuffer[] parts = Frames.encode(opcode, fin, false, payload, masked ? MASK : null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (ByteBuffer part : parts) {
            bytes.write(part.array(), part.arrayOffset() + part.position(), part.remaining());
        }
        return bytes.toByteArray();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a masked frame. */
    void send(int opcode, boolean fin, byte[] payload) throws IOException {
        send(frame(opcode, fin, payload, true));
    }

    void sendText(String text) throws IOException {
        send(Frames.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a close frame with {@code code} and {@code reason}. */
    void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        send(Frames.CLOSE, true, ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r).array());
    }

    /** Reads the next frame; throws {@link EOFException} if the server closed first. */
    Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] mask = null;
        if ((b1 & 0x80) != 0) {
            mask = new byte[4];
            in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, (b0 & 0x40) != 0, mask != null, payload);
    }

    /** Reads frames until a close frame, skipping pings and pongs. */
    Frame readClose() throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == Frames.CLOSE) {
                return f;
            }
        }
    }

    /** Whether the server closed the connection: the next read sees the end of the stream. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true; // a reset is a close too
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
