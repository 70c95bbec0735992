package io.squall.httpclient;

/**
 * The HTTP proxy refused to open a tunnel ({@code CONNECT}) to the server: {@link #code()} is its status,
 * 407 when it wants (other) credentials.
 */
public final class ProxyFailureException extends HttpClientException {
    private static final long serialVersionUID = 1L;

    private final int code;

    ProxyFailureException(String proxy, String target, int code, String reason, HttpRequest request) {
        super("Proxy " + proxy + " refused to tunnel to " + target + ": " + code + " " + reason
                + (code == 407 ? " (proxy authentication required: check the proxy credentials)" : ""),
                FetchPhase.PROXY, request, null);
        this.code = code;
    }

    /** The proxy's status code. */
    public int code() {
        return code;
    }
}
