package io.squall.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * An {@link SSLEngine} over a non-blocking channel: the ciphertext buffers, the handshake loop, and
 * reading and writing application bytes. It knows nothing of streams; {@link SslIOStream} drives it.
 *
 * <p>Buffer modes: {@code netIn} (ciphertext received, not yet unwrapped) and {@code appIn} (plaintext
 * unwrapped, not yet delivered) are kept ready for filling; {@code netOut} (ciphertext not yet
 * written) is kept ready for draining.
 */
final class TlsEngine {
    private static final ByteBuffer[] NOTHING = {};

    private final SSLEngine engine;
    private final SocketChannel channel;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private boolean inboundDone;

    /** Wraps {@code engine} over {@code channel}; {@code received} are ciphertext bytes already read from it. */
    TlsEngine(SSLEngine engine, SocketChannel channel, byte[] received) {
        this.engine = engine;
        this.channel = channel;
        int packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(Math.max(packetSize, received.length)).put(received);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        this.netOut = ByteBuffer.allocate(packetSize).flip();
    }

    SSLEngine engine() {
        return engine;
    }

    /** Whether ciphertext waits for the kernel. */
    boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    /** Writes pending ciphertext; returns whether none is left. */
    boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the engine waits for its delegated tasks (the handshake's CPU work: key exchange, signatures, certificate checks). */
    boolean needsTasks() {
        return engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK;
    }

    /** The events the handshake waits for now: the peer's messages, or room to send ours. */
    boolean handshakeWantsWrite() {
        return netOut.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
    }

    /**
     * Drives the handshake as far as the socket allows without running the engine's delegated tasks;
     * returns true once it is finished. When it returns false, either the socket must be ready again or
     * {@link #needsTasks()} says that the tasks must run (see {@link #runDelegatedTasks()}) before the
     * handshake can go on.
     */
    boolean handshake() throws IOException {
        for (;;) {
            if (!flush()) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    return false;
                }
                case NEED_WRAP -> {
                    if (wrap(NOTHING, 0, 0).getStatus() == SSLEngineResult.Status.CLOSED && !netOut.hasRemaining()) {
                        throw new SSLHandshakeException("TLS engine closed during the handshake");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        return false;
                    }
                }
                default -> {
                    if (engine.isInboundDone() || engine.isOutboundDone()) {
                        throw new SSLHandshakeException("TLS engine closed during the handshake");
                    }
                    return true; // FINISHED or NOT_HANDSHAKING
                }
            }
        }
    }

    /**
     * Unwraps one record into {@code appIn}, reading the socket when no whole record is buffered.
     * Returns false when the socket has nothing more for now.
     */
    private boolean unwrap() throws IOException {
        SSLEngineResult result = unwrapInto(appIn);
        return switch (result.getStatus()) {
            case OK -> true;
            case BUFFER_OVERFLOW -> {
                appIn = enlarge(appIn, engine.getSession().getApplicationBufferSize());
                yield true;
            }
            case BUFFER_UNDERFLOW -> {
                int n = readNet();
                if (n < 0) {
                    throw new SSLHandshakeException("Connection closed by peer during the TLS handshake");
                }
                yield n > 0;
            }
            case CLOSED -> throw new SSLHandshakeException("Peer closed the TLS connection during the handshake");
        };
    }

    /** Reads application bytes into {@code dst}: a count, 0 if none are available now, -1 at the end of the stream. */
    int read(ByteBuffer dst) throws IOException {
        for (;;) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(appIn.remaining(), dst.remaining());
                dst.put(dst.position(), appIn, appIn.position(), n).position(dst.position() + n);
                appIn.position(appIn.position() + n).compact();
                return n;
            }
            if (inboundDone) {
                return -1;
            }
            boolean direct = dst.remaining() >= appIn.capacity();
            int before = dst.position();
            SSLEngineResult result = unwrapInto(direct ? dst : appIn);
            answerPeer();
            switch (result.getStatus()) {
                case OK -> {
                    if (direct && dst.position() > before) {
                        return dst.position() - before;
                    }
                }
                case BUFFER_OVERFLOW -> appIn = enlarge(appIn, Math.max(engine.getSession().getApplicationBufferSize(), dst.remaining() + 1));
                case BUFFER_UNDERFLOW -> {
                    int n = readNet();
                    if (n <= 0) {
                        return n;
                    }
                }
                case CLOSED -> inboundDone = true; // close_notify: deliver what came before it, then -1
            }
        }
    }

    /** Encrypts from {@code srcs} and writes; returns the plaintext bytes taken (some may still be in {@code netOut}). */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long taken = 0;
        while (flush() && hasRemaining(srcs, offset, length)) {
            SSLEngineResult result = wrap(srcs, offset, length);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS connection is closed for writing");
            }
            taken += result.bytesConsumed();
            if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks(); // after the handshake (a key update): rare and small
            }
            if (result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                break; // the engine waits for the peer (a handshake in progress): the next read moves it
            }
        }
        return taken;
    }

    /** Best effort, never blocking: sends close_notify (and any pending alert). */
    void shutdown() throws IOException {
        engine.closeOutbound();
        for (int i = 0; i < 4 && flush() && !engine.isOutboundDone(); i++) {
            wrap(NOTHING, 0, 0);
        }
        flush();
    }

    /**
     * Runs delegated tasks and sends what the engine must answer outside a handshake (e.g. a key update):
     * rare, small work, done inline.
     */
    private void answerPeer() throws IOException {
        for (int i = 0; i < 4; i++) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            } else if (status == HandshakeStatus.NEED_WRAP && flush()) {
                wrap(NOTHING, 0, 0);
            } else {
                return;
            }
        }
    }

    private SSLEngineResult unwrapInto(ByteBuffer dst) throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, dst);
        } finally {
            netIn.compact();
        }
    }

    private SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length) throws SSLException {
        netOut.compact();
        SSLEngineResult result;
        try {
            result = engine.wrap(srcs, offset, length, netOut);
        } finally {
            netOut.flip();
        }
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            netOut = enlarge(netOut.compact(), engine.getSession().getPacketBufferSize()).flip();
        }
        return result;
    }

    private int readNet() throws IOException {
        if (!netIn.hasRemaining()) {
            netIn = enlarge(netIn, engine.getSession().getPacketBufferSize());
        }
        return channel.read(netIn);
    }

    /**
     * Runs the engine's delegated tasks until none is left. The handshake calls it on an executor thread
     * (the engine allows that); other callers run it inline.
     */
    void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** A larger buffer in fill mode with the contents of {@code buffer}, which is in fill mode too. */
    private static ByteBuffer enlarge(ByteBuffer buffer, int atLeast) {
        ByteBuffer larger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity() * 2));
        return larger.put(buffer.flip());
    }

    private static boolean hasRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
