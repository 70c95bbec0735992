package io.squall.httpclient;

/**
 * The response head was larger than the client's {@code maxHeaderSize} ({@link #phase()}
 * {@code RESPONSE_HEADERS}), or its body, after decompression, larger than {@code maxBodySize}
 * ({@code RESPONSE_BODY}). The connection is closed, not read to the end.
 */
public final class ResponseTooLargeException extends HttpClientException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    ResponseTooLargeException(String message, FetchPhase phase, long limit, HttpRequest request) {
        super(message + " (limit " + limit + " bytes)", phase, request, null);
        this.limit = limit;
    }

    /** The limit that was exceeded, in bytes. */
    public long limit() {
        return limit;
    }
}
