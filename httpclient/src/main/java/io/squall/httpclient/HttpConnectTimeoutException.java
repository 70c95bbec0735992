package io.squall.httpclient;

import java.time.Duration;

/**
 * Resolving, connecting, the proxy tunnel or the TLS handshake took longer than the connect timeout (or
 * than what was left of the request timeout). Message: "Timeout while connecting to host:port".
 */
public final class HttpConnectTimeoutException extends HttpTimeoutException {
    private static final long serialVersionUID = 1L;

    HttpConnectTimeoutException(String target, FetchPhase phase, Duration timeout, HttpRequest request, Throwable cause) {
        super("Timeout while connecting to " + target, phase, timeout, request, cause);
    }
}
