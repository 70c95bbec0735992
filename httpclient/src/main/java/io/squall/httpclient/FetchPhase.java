package io.squall.httpclient;

/** The phase of a fetch in which something went wrong, named by every {@link HttpClientException}. */
public enum FetchPhase {
    /** Waiting for one of the client's {@code maxClients} slots. */
    QUEUE,
    /** Resolving the host name. */
    RESOLVE,
    /** Opening the TCP connection (to the server or to the proxy). */
    CONNECT,
    /** Setting up a tunnel through an HTTP proxy with {@code CONNECT}. */
    PROXY,
    /** The TLS handshake with the server. */
    TLS_HANDSHAKE,
    /** Sending the request head and body. */
    SEND,
    /** Waiting for and reading the response head. */
    RESPONSE_HEADERS,
    /** Reading the response body. */
    RESPONSE_BODY
}
