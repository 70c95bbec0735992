package io.squall.httpclient;

/** The host name of the URL (or of the proxy) could not be resolved. */
public final class DnsFailureException extends HttpClientException {
    private static final long serialVersionUID = 1L;

    DnsFailureException(String host, HttpRequest request, Throwable cause) {
        super("Cannot resolve host " + host + ": " + cause.getMessage(), FetchPhase.RESOLVE, request, cause);
    }
}
