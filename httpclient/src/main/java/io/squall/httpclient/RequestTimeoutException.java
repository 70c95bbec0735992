package io.squall.httpclient;

import java.time.Duration;

/**
 * The request timeout, which bounds the whole fetch, ran out; {@link #phase()} says where the fetch was
 * (connecting, sending, waiting for the head, reading the body). Message: "Timeout during request".
 */
public final class RequestTimeoutException extends HttpTimeoutException {
    private static final long serialVersionUID = 1L;

    RequestTimeoutException(FetchPhase phase, Duration timeout, HttpRequest request) {
        super("Timeout during request to " + request.uri(), phase, timeout, request, null);
    }
}
