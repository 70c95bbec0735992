package io.squall.websocket;

import static io.squall.gen.Coroutines.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WebSocket connection, either side: reads frames in one coroutine and hands the messages to
 * the application one at a time (the reader waits while the application does), writes messages, pings
 * and keeps the liveness timers, and runs the closing handshake (RFC 6455 §7) both ways with a timeout.
 * A peer breaking the protocol gets a close frame with the code its error names (1002, 1007, 1009), then
 * the connection closes in stages (our FIN after the close frame, the peer's bytes read and dropped until
 * it closes or the close timeout passes). The application's {@code onClose} runs exactly once, whatever
 * ends the connection. Loop-confined: every method runs on the connection's loop.
 */
final class Session implements MessageAssembler.Receiver {
    /** What the application sees; the calls run in the reader coroutine and may await. */
    interface Application {
        void onText(String text) throws Exception;

        void onBinary(byte[] data) throws Exception;

        void onPing(byte[] payload) throws Exception;

        void onPong(byte[] payload) throws Exception;

        /** The connection is over; called once. */
        void onClose() throws Exception;
    }

    /** A step of the application that may fail (its exception is logged and the connection closed with 1011). */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final SecureRandom MASKS = new SecureRandom();
    private static final int READ_CHUNK = 64 * 1024;

    private final IOStream stream;
    private final IOLoop loop;
    private final boolean client;
    private final WebSocketOptions options;
    private final PerMessageDeflate deflate;
    private final Application application;
    private final FrameDecoder decoder;
    /** Names the connection in log messages; built only when one is logged (an idle connection keeps no string). */
    private final Supplier<String> name;
    /** Goes on with the read loop in a new coroutine once a read that had to wait completes. */
    private final Consumer<Future<byte[]>> resumeReading;

    private boolean closeSent;
    private boolean closeReceived;
    /** The peer broke the protocol, or the application failed: input is read and dropped from then on. */
    private boolean failing;
    private boolean finished;
    private Integer closeCode;
    private String closeReason;
    private Timeout closeTimer;
    private Timeout pingTimer;
    private Timeout pongDeadline;

    Session(IOStream stream, boolean client, WebSocketOptions options, PerMessageDeflate deflate,
            Application application, Supplier<String> name) {
        this.stream = stream;
        this.loop = stream.loop();
        this.client = client;
        this.options = options;
        this.deflate = deflate;
        this.application = application;
        this.name = name;
        this.resumeReading = read -> loop.spawnCallback(() -> {
            readLoop(read);
            return null;
        });
        this.decoder = new FrameDecoder(!client, deflate != null, new MessageAssembler(options.maxMessageSize(),
                deflate != null ? deflate.inflater() : null, deflate != null && deflate.peerNoContextTakeover(), this));
    }

    /**
     * Runs the connection, starting in the calling coroutine: {@code open} first (no message is delivered
     * before it returns), then the read loop (see {@link #readLoop}); {@code onClose} last, once it is over.
     */
    void run(Step open) {
        boolean started = false;
        try {
            schedulePing();
            if (open != null) {
                guarded(open, "open");
            }
            started = true;
        } finally {
            if (!started) {
                finish();
            }
        }
        readLoop(null);
    }

    /**
     * The read loop, in the calling coroutine, starting with {@code arrived} (a completed read) if not
     * null. When a read has to wait for the peer, the coroutine ends, and a new one goes on once the bytes
     * arrive: an idle connection holds no coroutine (nor its stack), and a message costs one coroutine
     * start rather than a suspension and a resumption. Hooks that await keep the loop in their coroutine
     * meanwhile, as the next read starts only after they return.
     */
    private void readLoop(Future<byte[]> arrived) {
        boolean released = false;
        try {
            Future<byte[]> read = arrived;
            while (!finished) {
                if (read == null) {
                    read = stream.readBytes(READ_CHUNK, true);
                    if (!read.isDone()) {
                        read.addDoneCallback(resumeReading);
                        released = true;
                        return;
                    }
                }
                byte[] chunk;
                try {
                    chunk = await(read);
                } catch (StreamClosedError e) {
                    break;
                }
                read = null;
                if (failing || closeReceived) {
                    continue; // nothing more is delivered: read until the peer closes (or the timer does)
                }
                try {
                    decoder.feed(chunk, 0, chunk.length);
                } catch (ProtocolError e) {
                    fail(e.closeCode(), e.getMessage());
                }
            }
        } finally {
            if (!released) {
                finish();
            }
        }
    }

    // ------------------------------------------------------------------ received (MessageAssembler.Receiver)

    @Override
    public void onText(String text) throws ProtocolError {
        deliver(() -> application.onText(text), "onMessage");
    }

    @Override
    public void onBinary(byte[] data) throws ProtocolError {
        deliver(() -> application.onBinary(data), "onMessage");
    }

    @Override
    public void onPing(byte[] payload) {
        if (!closeSent) {
            write(Frames.encode(Frames.PONG, true, false, payload, mask()));
        }
        try {
            deliver(() -> application.onPing(payload), "onPing");
        } catch (ProtocolError ignored) {
            // logged, and the connection is closing: the reader stops at the next frame
        }
    }

    @Override
    public void onPong(byte[] payload) {
        if (pongDeadline != null) {
            pongDeadline.cancel();
            pongDeadline = null;
        }
        try {
            deliver(() -> application.onPong(payload), "onPong");
        } catch (ProtocolError ignored) {
            // as in onPing
        }
    }

    @Override
    public void onClose(int code, String reason) {
        closeReceived = true;
        closeCode = code == CloseCodes.NO_STATUS ? null : code;
        closeReason = code == CloseCodes.NO_STATUS ? null : reason;
        Future<Void> sent = closeSent ? Future.completed(null) : sendClose(closeCode, ""); // echo the code (1005 is never sent)
        if (client) {
            armCloseTimer(); // the server closes TCP first (RFC 6455 §7.1.1)
        } else {
            sent.addDoneCallback(f -> abort());
        }
    }

    private void deliver(Step step, String what) throws ProtocolError {
        if (failing || closeReceived || finished) {
            return;
        }
        if (!guarded(step, what)) {
            throw new ProtocolError(CloseCodes.INTERNAL_ERROR, "internal error"); // stops the decoder
        }
    }

    /** Runs an application step; on an exception logs it, closes with 1011 and returns false. */
    private boolean guarded(Step step, String what) {
        try {
            step.run();
            return true;
        } catch (Exception e) {
            LOG.error("Uncaught exception in {} of {}", what, name.get(), e);
            fail(CloseCodes.INTERNAL_ERROR, "internal error");
            return false;
        }
    }

    // ------------------------------------------------------------------ sending

    /** Sends a data message; the future completes when the frame reached the kernel. */
    Future<Void> sendMessage(boolean text, byte[] payload) {
        checkLoop();
        if (closeSent || finished) {
            return Future.failed(new WebSocketClosedError("WebSocket is closed"));
        }
        boolean compressed = deflate != null && deflate.compresses(payload.length);
        byte[] body = compressed ? deflate.compress(payload) : payload;
        return write(Frames.encode(text ? Frames.TEXT : Frames.BINARY, true, compressed, body, mask()));
    }

    /**
     * Sends {@code value}: a String as text, a byte[] as binary, anything else as JSON text through
     * {@code json}.
     *
     * @throws IllegalArgumentException if {@code value} cannot be written as JSON
     */
    Future<Void> sendValue(Object value, ObjectMapper json) {
        return switch (value) {
            case String text -> sendMessage(true, text.getBytes(StandardCharsets.UTF_8));
            case byte[] bytes -> sendMessage(false, bytes);
            default -> {
                try {
                    yield sendMessage(true, json.writeValueAsBytes(value));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
                }
            }
        };
    }

    /** Sends a ping; the future completes when it reached the kernel. */
    Future<Void> ping(byte[] payload) {
        checkLoop();
        if (payload.length > Frames.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("a ping payload has at most 125 bytes, not " + payload.length);
        }
        if (closeSent || finished) {
            return Future.failed(new WebSocketClosedError("WebSocket is closed"));
        }
        return write(Frames.encode(Frames.PING, true, false, payload, mask()));
    }

    /**
     * Starts the closing handshake with {@code code} (null for a close frame without one) and
     * {@code reason}; does nothing if it started already.
     *
     * @throws IllegalArgumentException if {@code code} may not be sent or the reason is over 123 bytes
     */
    void close(Integer code, String reason) {
        checkLoop();
        byte[] reasonBytes = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (code != null && !CloseCodes.validOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        if (code == null && reasonBytes.length > 0 || reasonBytes.length > Frames.MAX_CONTROL_PAYLOAD - 2) {
            throw new IllegalArgumentException("a close reason needs a code and has at most 123 bytes");
        }
        if (closeSent || finished) {
            return;
        }
        sendClose(code, reason == null ? "" : reason);
        armCloseTimer();
    }

    private Future<Void> sendClose(Integer code, String reason) {
        closeSent = true;
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload;
        if (code == null) {
            payload = new byte[0];
        } else {
            payload = ByteBuffer.allocate(2 + reasonBytes.length).putShort((short) (int) code).put(reasonBytes).array();
        }
        return write(Frames.encode(Frames.CLOSE, true, false, payload, mask()));
    }

    /**
     * Fails the connection (RFC 6455 §7.1.7): a close frame with {@code code}, then our FIN once it is out;
     * the peer's bytes are read and dropped until it closes or the close timeout passes.
     */
    private void fail(int code, String reason) {
        if (failing || finished) {
            return;
        }
        failing = true;
        if (LOG.isDebugEnabled()) {
            LOG.debug("Failing {} with {} {}", name.get(), code, reason);
        }
        Future<Void> sent = closeSent ? Future.completed(null) : sendClose(code, reason);
        armCloseTimer();
        sent.addDoneCallback(f -> {
            if (!stream.isClosed() && stream.writeBufferSize() == 0) {
                try {
                    stream.shutdownOutput();
                } catch (IllegalStateException e) {
                    abort();
                }
            }
        });
    }

    private Future<Void> write(ByteBuffer[] frame) {
        Future<Void> result = new Future<>();
        stream.write(frame).addDoneCallback(f -> {
            if (f.isFailed()) {
                result.trySetException(new WebSocketClosedError("WebSocket is closed: " + f.exception()));
            } else {
                result.trySetResult(null);
            }
        });
        return result;
    }

    private byte[] mask() {
        if (!client) {
            return null;
        }
        byte[] mask = new byte[4];
        MASKS.nextBytes(mask);
        return mask;
    }

    // ------------------------------------------------------------------ timers and the end

    private void armCloseTimer() {
        if (closeTimer == null && !finished) {
            closeTimer = loop.callLater(options.closeTimeout(), this::abort);
        }
    }

    private void schedulePing() {
        if (options.pingInterval() != null) {
            pingTimer = loop.callLater(options.pingInterval(), this::periodicPing);
        }
    }

    private void periodicPing() {
        if (finished || closeSent) {
            return;
        }
        ping(new byte[0]);
        if (pongDeadline == null) {
            pongDeadline = loop.callLater(options.effectivePingTimeout(), () -> {
                LOG.info("{}: no pong within {}, closing", name.get(), options.effectivePingTimeout());
                abort();
            });
        }
        schedulePing();
    }

    /** Closes TCP now; the reader then ends the connection. */
    void abort() {
        stream.close();
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        for (Timeout timer : new Timeout[] {closeTimer, pingTimer, pongDeadline}) {
            if (timer != null) {
                timer.cancel();
            }
        }
        stream.close();
        if (deflate != null) {
            deflate.close();
        }
        try {
            application.onClose();
        } catch (Exception e) {
            LOG.error("Uncaught exception in onClose of {}", name.get(), e);
        }
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("a WebSocket is used on its loop's thread only");
        }
    }

    // ------------------------------------------------------------------ state

    /** The code of the peer's close frame, or null (none yet, none in it, or no close frame). */
    Integer closeCode() {
        return closeCode;
    }

    /** The reason of the peer's close frame, or null. */
    String closeReason() {
        return closeReason;
    }

    /** Whether the connection is over, or closing (a close frame was sent). */
    boolean isClosing() {
        return closeSent || finished;
    }

    /** Whether the connection is over. */
    boolean isFinished() {
        return finished;
    }

    IOLoop loop() {
        return loop;
    }
}
