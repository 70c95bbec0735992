package io.squall.iostream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;

/**
 * An operation on an {@link IOStream} failed because the stream is closed: Tornado's
 * {@code StreamClosedError}.
 *
 * <p>{@link #getCause()} is the real reason the stream closed: the {@link java.net.ConnectException}
 * of a refused connection, the {@link java.net.SocketException} of a reset, the
 * {@link javax.net.ssl.SSLHandshakeException} of a failed handshake, an {@link UnsatisfiableReadError}
 * or {@link StreamBufferFullError}, or whatever was passed to {@link IOStream#close(Throwable)} (wrapped
 * in an {@link IOException} when it is not one). A stream closed cleanly, by the peer or by
 * {@link IOStream#close()}, gives an {@link java.io.EOFException} or a {@link ClosedChannelException}.
 */
public class StreamClosedError extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    /** A stream closed for the given reason. */
    public StreamClosedError(IOException cause) {
        super(cause instanceof ClosedChannelException ? "Stream is closed" : "Stream is closed: " + cause, cause);
    }

    /** A stream closed locally, with no error. */
    public StreamClosedError() {
        this(new ClosedChannelException());
    }

    /**
     * The error for a stream that closed because of {@code realError}: the error itself when it is an
     * {@link IOException}, otherwise an {@link IOException} wrapping it.
     */
    public static StreamClosedError of(Throwable realError) {
        if (realError == null) {
            return new StreamClosedError();
        }
        return new StreamClosedError(realError instanceof IOException io ? io : new IOException(realError.toString(), realError));
    }
}
