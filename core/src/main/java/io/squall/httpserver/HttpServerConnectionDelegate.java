package io.squall.httpserver;

import io.squall.http.HttpConnection;
import io.squall.http.HttpMessageDelegate;

/**
 * What an {@link HttpServer} hands each connection's requests to (Tornado's
 * {@code HTTPServerConnectionDelegate}): the web framework's {@code Application}, or any protocol that
 * wants the request stream itself.
 */
public interface HttpServerConnectionDelegate {
    /**
     * Called when a request begins; returns the delegate that receives it. {@code connection} is that
     * request's own: each request of a keep-alive connection gets a new one (as in Tornado).
     */
    HttpMessageDelegate startRequest(HttpConnection connection);

    /**
     * Called once when the connection closes (after the last request's delegate was told), with the
     * {@link HttpConnection} of its last request, or of the request whose head was being read.
     */
    default void onClose(HttpConnection connection) {}
}
