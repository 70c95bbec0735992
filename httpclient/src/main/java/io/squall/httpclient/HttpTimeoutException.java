package io.squall.httpclient;

import java.time.Duration;

/**
 * A time limit of the fetch ran out; {@link #phase()} says where it was. Subclasses name the limit:
 * {@link QueueTimeoutException}, {@link HttpConnectTimeoutException}, {@link RequestTimeoutException}.
 */
public abstract class HttpTimeoutException extends HttpClientException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    HttpTimeoutException(String message, FetchPhase phase, Duration timeout, HttpRequest request, Throwable cause) {
        super(message + " (" + phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ", limit "
                + Durations.format(timeout) + ")", phase, request, cause);
        this.timeout = timeout;
    }

    /** The limit that ran out. */
    public Duration timeout() {
        return timeout;
    }
}
