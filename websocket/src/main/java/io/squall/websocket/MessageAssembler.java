package io.squall.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns the frames of a {@link FrameDecoder} into messages and control events: joins fragments,
 * inflates compressed messages piece by piece (permessage-deflate), bounds each message by
 * {@code maxMessageSize} after inflation (1009, before the bytes are kept: no decompression bomb),
 * checks text messages' UTF-8 as the bytes arrive (1007 at the first bad byte, across fragments), and
 * checks close frames: a 1-byte payload or a code invalid on the wire is 1002, a reason that is not
 * UTF-8 is 1007.
 */
final class MessageAssembler implements FrameDecoder.Sink {
    /** What the assembled input is. Calls may suspend the calling coroutine (the reader then waits). */
    interface Receiver {
        void onText(String text) throws ProtocolError;

        void onBinary(byte[] data) throws ProtocolError;

        void onPing(byte[] payload);

        void onPong(byte[] payload);

        /** A close frame; {@code code} is {@link CloseCodes#NO_STATUS} if it had none. */
        void onClose(int code, String reason);
    }

    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    /** The reason of the 1007 for compressed data the inflater refuses. */
    static final String CORRUPT_DEFLATE = "invalid compressed data";

    private final int maxMessageSize;
    private final Receiver receiver;
    /** Inflates the peer's compressed messages, or null without permessage-deflate. */
    private final Inflater inflater;
    private final boolean resetInflaterPerMessage;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final byte[] inflated = new byte[8192];

    private int frameOpcode;
    private byte[] control;
    private int controlLength;

    private int messageOpcode;
    private boolean compressed;
    private boolean lastFrame;
    private byte[] message = new byte[0];
    private int messageLength;
    private long compressedLength;

    /**
     * @param inflater the peer's permessage-deflate context, or null
     * @param resetInflaterPerMessage whether the peer compresses each message without context takeover
     */
    MessageAssembler(int maxMessageSize, Inflater inflater, boolean resetInflaterPerMessage, Receiver receiver) {
        this.maxMessageSize = maxMessageSize;
        this.inflater = inflater;
        this.resetInflaterPerMessage = resetInflaterPerMessage;
        this.receiver = receiver;
    }

    @Override
    public void frameStart(int opcode, boolean fin, boolean rsv1, long length) throws ProtocolError {
        frameOpcode = opcode;
        if (Frames.isControl(opcode)) {
            control = new byte[(int) length];
            controlLength = 0;
            return;
        }
        if (opcode != Frames.CONTINUATION) {
            messageOpcode = opcode;
            compressed = rsv1;
            messageLength = 0;
            compressedLength = 0;
            utf8.reset();
        }
        lastFrame = fin;
        if (compressed) {
            // The compressed form of an incompressible message is barely larger than the message.
            compressedLength += length;
            if (compressedLength > maxMessageSize + (maxMessageSize >> 4) + 1024) {
                throw tooBig();
            }
        } else if (messageLength + length > maxMessageSize) {
            throw tooBig(); // refused from the header, before any of its bytes is read
        }
    }

    @Override
    public void payload(byte[] data, int offset, int length) throws ProtocolError {
        if (Frames.isControl(frameOpcode)) {
            System.arraycopy(data, offset, control, controlLength, length);
            controlLength += length;
        } else if (compressed) {
            inflate(data, offset, length);
        } else {
            append(data, offset, length);
        }
    }

    @Override
    public void frameEnd() throws ProtocolError {
        if (Frames.isControl(frameOpcode)) {
            control();
            return;
        }
        if (!lastFrame) {
            return;
        }
        if (compressed) {
            inflate(DEFLATE_TAIL, 0, DEFLATE_TAIL.length);
            if (resetInflaterPerMessage || inflater.finished()) {
                inflater.reset();
            }
        }
        byte[] data = Arrays.copyOf(message, messageLength);
        messageLength = 0;
        if (message.length > 65536) {
            message = new byte[0]; // a big message's buffer is not kept for the connection's life
        }
        if (messageOpcode == Frames.TEXT) {
            if (!utf8.atBoundary()) {
                throw new ProtocolError(CloseCodes.INVALID_DATA, "text message ends inside a UTF-8 sequence");
            }
            receiver.onText(new String(data, StandardCharsets.UTF_8));
        } else {
            receiver.onBinary(data);
        }
    }

    private void inflate(byte[] data, int offset, int length) throws ProtocolError {
        if (inflater.finished()) {
            if (length > 0 && data != DEFLATE_TAIL) {
                throw new ProtocolError(CloseCodes.INVALID_DATA, "data after the final deflate block");
            }
            return;
        }
        inflater.setInput(data, offset, length);
        try {
            while (true) {
                int n = inflater.inflate(inflated);
                if (n > 0) {
                    append(inflated, 0, n);
                } else if (inflater.finished() && inflater.getRemaining() > 0) {
                    throw new ProtocolError(CloseCodes.INVALID_DATA, "data after the final deflate block");
                } else if (inflater.needsInput() || inflater.finished()) {
                    return;
                } else if (inflater.needsDictionary()) {
                    throw new ProtocolError(CloseCodes.INVALID_DATA, "compressed data asks for a dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolError(CloseCodes.INVALID_DATA, CORRUPT_DEFLATE);
        }
    }

    /**
     * Keeps message bytes. Of two errors in them, the one at the earlier byte wins, however the bytes
     * were cut into pieces: a text message's UTF-8 is checked up to the size limit before the limit is
     * enforced (an inflated piece may hold invalid UTF-8 and then overflow the limit).
     */
    private void append(byte[] data, int offset, int length) throws ProtocolError {
        boolean overflows = (long) messageLength + length > maxMessageSize;
        int within = overflows ? maxMessageSize - messageLength : length;
        if (messageOpcode == Frames.TEXT && !utf8.feed(data, offset, within)) {
            throw new ProtocolError(CloseCodes.INVALID_DATA, "invalid UTF-8 in a text message");
        }
        if (overflows) {
            throw tooBig();
        }
        if (messageLength + length > message.length) {
            int grown = (int) Math.min(maxMessageSize, Math.max((long) message.length * 2, messageLength + length));
            message = Arrays.copyOf(message, Math.max(grown, messageLength + length));
        }
        System.arraycopy(data, offset, message, messageLength, length);
        messageLength += length;
    }

    private void control() throws ProtocolError {
        byte[] payload = control;
        control = null;
        switch (frameOpcode) {
            case Frames.PING -> receiver.onPing(payload);
            case Frames.PONG -> receiver.onPong(payload);
            default -> close(payload);
        }
    }

    private void close(byte[] payload) throws ProtocolError {
        if (payload.length == 0) {
            receiver.onClose(CloseCodes.NO_STATUS, "");
            return;
        }
        if (payload.length == 1) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
        }
        int code = ByteBuffer.wrap(payload).getShort() & 0xFFFF;
        if (!CloseCodes.validOnWire(code)) {
            throw new ProtocolError(CloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
        }
        Utf8Validator reasonCheck = new Utf8Validator();
        if (!reasonCheck.feed(payload, 2, payload.length - 2) || !reasonCheck.atBoundary()) {
            throw new ProtocolError(CloseCodes.INVALID_DATA, "close reason is not UTF-8");
        }
        receiver.onClose(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    private ProtocolError tooBig() {
        return new ProtocolError(CloseCodes.MESSAGE_TOO_BIG, "message too big");
    }
}
