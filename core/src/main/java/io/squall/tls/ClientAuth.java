package io.squall.tls;

/** Whether a TLS server asks its clients for a certificate (Tornado's {@code ssl.CERT_NONE/OPTIONAL/REQUIRED}). */
public enum ClientAuth {
    /** The server does not ask for a client certificate. */
    NONE,
    /** The server asks; a client without one is served, a client with one that does not verify is refused. */
    OPTIONAL,
    /** The handshake fails unless the client presents a certificate that verifies against the server's trust. */
    REQUIRED
}
