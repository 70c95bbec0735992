package io.squall.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The incremental, strict frame parser (RFC 6455 §5): bytes go in however they are split, and the
 * frames come out to a {@link Sink} as a start, payload pieces (unmasked, in place) and an end, so a
 * frame is never buffered here and a bad header is refused as soon as its first two bytes arrive.
 *
 * <p>Refused with 1002: reserved bits other than RSV1 (and RSV1 unless an extension defines it, and
 * then only on the first frame of a data message), unknown opcodes, control frames fragmented or with
 * more than 125 bytes, a continuation without a started message or a new message inside one, a frame
 * masked the wrong way for its direction (a client's frames must be masked, a server's must not), a
 * 64-bit length with its top bit set, and a length not in its shortest form. After an error the decoder
 * takes nothing more.
 */
final class FrameDecoder {
    /** Eight bytes of an array at a time, for unmasking (the byte order only has to match the mask's). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Where the frames go. */
    interface Sink {
        /** A frame starts; {@code length} payload bytes follow. */
        void frameStart(int opcode, boolean fin, boolean rsv1, long length) throws ProtocolError;

        /** A piece of the current frame's payload, unmasked. */
        void payload(byte[] data, int offset, int length) throws ProtocolError;

        /** The current frame is complete. */
        void frameEnd() throws ProtocolError;
    }

    private final boolean expectMasked;
    private final boolean rsv1Defined;
    private final Sink sink;
    /** The header being read: 2 bytes, an extended length of 2 or 8, a mask of 4. */
    private final byte[] header = new byte[14];
    private int headerRead;
    private int headerLength = 2;
    private boolean inPayload;
    private long payloadLeft;
    private boolean masked;
    /** Where the current frame's mask is in {@link #header} (which stays as it is until its payload ends). */
    private int maskAt;
    private int maskIndex;
    /** Whether a fragmented data message is in progress (continuations are expected). */
    private boolean inMessage;
    private boolean failed;

    /**
     * @param expectMasked true on a server (client frames are masked), false on a client
     * @param rsv1Defined whether an extension (permessage-deflate) gives RSV1 a meaning
     */
    FrameDecoder(boolean expectMasked, boolean rsv1Defined, Sink sink) {
        this.expectMasked = expectMasked;
        this.rsv1Defined = rsv1Defined;
        this.sink = sink;
    }

    /**
     * Parses {@code length} more bytes of {@code data}, unmasking payload bytes in place.
     *
     * @throws ProtocolError at the first violation (the sink's own errors pass through too)
     * @throws IllegalStateException if an earlier call failed
     */
    void feed(byte[] data, int offset, int length) throws ProtocolError {
        if (failed) {
            throw new IllegalStateException("the decoder failed before");
        }
        try {
            int end = offset + length;
            int at = offset;
            while (at < end) {
                if (inPayload) {
                    at = payload(data, at, end);
                } else {
                    int n = Math.min(headerLength - headerRead, end - at);
                    System.arraycopy(data, at, header, headerRead, n);
                    headerRead += n;
                    at += n;
                    if (headerRead == 2) {
                        headerLength = checkFirstBytes();
                    }
                    if (headerRead == headerLength) {
                        startFrame();
                    }
                }
            }
        } catch (ProtocolError | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Checks the first two header bytes; returns the header's whole length. */
    private int checkFirstBytes() throws ProtocolError {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        int opcode = b0 & 0x0F;
        if ((b0 & 0x30) != 0) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "reserved bits RSV2/RSV3 set");
        }
        if (!Frames.isKnown(opcode)) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
        int length7 = b1 & 0x7F;
        if (Frames.isControl(opcode)) {
            if (!fin) {
                throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length7 > Frames.MAX_CONTROL_PAYLOAD) {
                throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "control frame over 125 bytes");
            }
        } else if (opcode == Frames.CONTINUATION && !inMessage) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "continuation frame without a message started");
        } else if (opcode != Frames.CONTINUATION && inMessage) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "new data frame inside a fragmented message");
        }
        if (rsv1 && (!rsv1Defined || Frames.isControl(opcode) || opcode == Frames.CONTINUATION)) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "reserved bit RSV1 set"
                    + (rsv1Defined ? " on a control or continuation frame" : " without an extension"));
        }
        masked = (b1 & 0x80) != 0;
        if (masked != expectMasked) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, expectMasked ? "unmasked client frame" : "masked server frame");
        }
        return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
    }

    private void startFrame() throws ProtocolError {
        int b0 = header[0] & 0xFF;
        int length7 = header[1] & 0x7F;
        long length;
        if (length7 == 126) {
            length = (header[2] & 0xFF) << 8 | header[3] & 0xFF;
            if (length < 126) {
                throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "frame length not in its shortest form");
            }
            maskAt = 4;
        } else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = length << 8 | header[i] & 0xFF;
            }
            if (length < 0) {
                throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "frame length with its most significant bit set");
            }
            if (length <= 0xFFFF) {
                throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "frame length not in its shortest form");
            }
            maskAt = 10;
        } else {
            length = length7;
            maskAt = 2;
        }
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if (!Frames.isControl(opcode)) {
            inMessage = !fin;
        }
        headerRead = 0;
        headerLength = 2;
        maskIndex = 0;
        payloadLeft = length;
        inPayload = true;
        sink.frameStart(opcode, fin, (b0 & 0x40) != 0, length);
        if (length == 0) {
            endFrame();
        }
    }

    private int payload(byte[] data, int at, int end) throws ProtocolError {
        int n = (int) Math.min(payloadLeft, end - at);
        if (masked) {
            unmask(data, at, n);
        }
        payloadLeft -= n;
        sink.payload(data, at, n);
        if (payloadLeft == 0) {
            endFrame();
        }
        return at + n;
    }

    /** Unmasks {@code n} bytes in place, eight at a time where it can, and advances {@link #maskIndex}. */
    private void unmask(byte[] data, int from, int n) {
        int i = from;
        int end = from + n;
        if (n >= 16) {
            long mask8 = 0; // the mask from maskIndex on, repeated over 8 bytes (a multiple of 4: maskIndex stays)
            for (int k = 0; k < 8; k++) {
                mask8 |= (header[maskAt + (maskIndex + k & 3)] & 0xFFL) << (8 * k);
            }
            for (; i + 8 <= end; i += 8) {
                LONGS.set(data, i, (long) LONGS.get(data, i) ^ mask8);
            }
        }
        for (; i < end; i++) {
            data[i] ^= header[maskAt + (maskIndex++ & 3)];
        }
    }

    private void endFrame() throws ProtocolError {
        inPayload = false;
        sink.frameEnd();
    }
}
