package io.squall.httpclient;

/**
 * The connection closed (or was reset) before the whole response arrived; {@link #phase()} says whether
 * the head or the body was cut short. The cause is the stream's error.
 */
public final class StreamClosedEarlyException extends HttpClientException {
    private static final long serialVersionUID = 1L;

    StreamClosedEarlyException(String message, FetchPhase phase, HttpRequest request, Throwable cause) {
        super(message, phase, request, cause);
    }
}
