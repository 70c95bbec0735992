package io.squall.httpclient;

import java.util.Objects;

/**
 * Why a fetch failed: the base of every exception {@link AsyncHttpClient#fetch} raises, each subclass
 * naming what went wrong and {@link #phase()} saying when. Tornado folds all of these into its code 599;
 * here a caller can tell a full queue from a dead server from a slow one.
 *
 * <p>Unchecked, like the rest of Squall's asynchronous errors: they reach the caller through a
 * {@link io.squall.concurrent.Future} and {@code await}.
 */
public class HttpClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FetchPhase phase;
    private final transient HttpRequest request;

    /**
     * An exception for {@code request} that failed in {@code phase}.
     *
     * @param cause the underlying error, or null
     */
    public HttpClientException(String message, FetchPhase phase, HttpRequest request, Throwable cause) {
        super(message, cause);
        this.phase = Objects.requireNonNull(phase, "phase");
        this.request = request;
    }

    /** The phase the fetch was in. */
    public FetchPhase phase() {
        return phase;
    }

    /** The request that was being sent when the fetch failed (after redirects, the last hop's request). */
    public HttpRequest request() {
        return request;
    }
}
