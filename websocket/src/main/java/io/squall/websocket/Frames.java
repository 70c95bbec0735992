package io.squall.websocket;

import java.nio.ByteBuffer;

/** Opcodes and the encoding of frames (RFC 6455 §5.2). */
final class Frames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** The largest payload of a control frame. */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private Frames() {}

    static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    static boolean isKnown(int opcode) {
        return opcode <= BINARY || opcode >= CLOSE && opcode <= PONG;
    }

    /**
     * One frame as buffers to write: its header, then its payload. With a {@code mask} (a client's frame,
     * 4 bytes) the payload is a masked copy; without one it is {@code payload} itself, not copied.
     */
    static ByteBuffer[] encode(int opcode, boolean fin, boolean rsv1, byte[] payload, byte[] mask) {
        int length = payload.length;
        int lengthBytes = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
        ByteBuffer header = ByteBuffer.allocate(2 + lengthBytes + (mask != null ? 4 : 0));
        header.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
        int maskBit = mask != null ? 0x80 : 0;
        if (lengthBytes == 0) {
            header.put((byte) (maskBit | length));
        } else if (lengthBytes == 2) {
            header.put((byte) (maskBit | 126)).putShort((short) length);
        } else {
            header.put((byte) (maskBit | 127)).putLong(length);
        }
        if (mask == null) {
            return new ByteBuffer[] {header.flip(), ByteBuffer.wrap(payload)};
        }
        header.put(mask);
        byte[] masked = new byte[length];
        for (int i = 0; i < length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return new ByteBuffer[] {header.flip(), ByteBuffer.wrap(masked)};
    }
}
