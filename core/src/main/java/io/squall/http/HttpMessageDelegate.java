package io.squall.http;

import io.squall.concurrent.Future;
import java.nio.ByteBuffer;

/**
 * Receives one HTTP request as it is read (Tornado's {@code HTTPMessageDelegate}). All calls run on
 * the connection's loop, in order: {@link #headersReceived}, {@link #dataReceived} zero or more
 * times, then {@link #finish}, or {@link #onConnectionClose} if the connection closes first.
 *
 * <p>Flow control: a method that returns a pending future stops the connection from reading until
 * that future completes. An exception thrown here is logged; the server answers 500 if no response
 * was started, and closes the connection.
 */
public interface HttpMessageDelegate {
    /**
     * The request line and headers were read and validated.
     *
     * @return null, or a future the connection waits for before reading the body
     */
    default Future<?> headersReceived(RequestStartLine startLine, HttpHeaders headers) throws Exception {
        return null;
    }

    /**
     * A piece of the (de-chunked) body; the buffer is only valid during the call.
     *
     * @return null, or a future the connection waits for before reading more
     */
    default Future<?> dataReceived(ByteBuffer chunk) throws Exception {
        return null;
    }

    /**
     * The whole request was read. The response may still be under way. This runs in the connection's
     * coroutine and may await: the connection reads the next request once the response is finished,
     * without waiting for the rest of {@code finish()} if it is still suspended then.
     */
    void finish() throws Exception;

    /** The connection closed before the request was finished (or while its response was written). */
    default void onConnectionClose() {}
}
