package io.squall.httpclient;

/**
 * The TLS handshake failed: the server's certificate was not trusted or did not match the host name, no
 * protocol or cipher suite was shared, or the server refused the client certificate. The cause is the
 * {@link javax.net.ssl.SSLException}.
 */
public final class TlsFailureException extends HttpClientException {
    private static final long serialVersionUID = 1L;

    TlsFailureException(String target, HttpRequest request, Throwable cause) {
        super("TLS handshake with " + target + " failed: " + cause.getMessage(), FetchPhase.TLS_HANDSHAKE, request, cause);
    }
}
