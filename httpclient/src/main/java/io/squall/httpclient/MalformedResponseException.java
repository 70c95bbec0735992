package io.squall.httpclient;

/**
 * The server's response broke HTTP/1.1: a bad status line or header, ambiguous framing (Content-Length
 * with Transfer-Encoding, unequal Content-Lengths), a body where none may be (204, 1xx), a bad chunked or
 * compressed body. The connection is closed.
 */
public final class MalformedResponseException extends HttpClientException {
    private static final long serialVersionUID = 1L;

    MalformedResponseException(String message, FetchPhase phase, HttpRequest request, Throwable cause) {
        super(message, phase, request, cause);
    }
}
