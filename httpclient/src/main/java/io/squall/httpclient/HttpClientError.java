package io.squall.httpclient;

/**
 * The server answered with a status outside 200–299 and the fetch was made with {@code raiseError}
 * (the default): Tornado's {@code HTTPClientError}. The whole response, body included, is in
 * {@link #response()}.
 */
public final class HttpClientError extends HttpClientException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponse response;

    /** The error for {@code response}. */
    public HttpClientError(HttpResponse response) {
        super("HTTP " + response.code() + ": " + response.reason() + " (" + response.request().method() + " "
                + response.effectiveUri() + ")", FetchPhase.RESPONSE_HEADERS, response.request(), null);
        this.response = response;
    }

    /** The status code. */
    public int code() {
        return response.code();
    }

    /** The response. */
    public HttpResponse response() {
        return response;
    }
}
