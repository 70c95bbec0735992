package io.squall.httpserver;

import io.squall.http.HttpConnection;
import io.squall.http.HttpMessageDelegate;

/**
 * What an {@link HttpServer} hands each connection's requests to (Tornado's
 * {@code HTTPServerConnectionDelegate}): the web framework's {@code Application}, or any protocol that
 * wants the request stream itself.
 */
public interface HttpServerConnectionDelegate {
    /** Called when a request begins on {@code connection}; returns the delegate that receives it. */
    HttpMessageDelegate startRequest(HttpConnection connection);

    /** Called once when the connection closes (after the last request's delegate was told). */
    default void onClose(HttpConnection connection) {}
}
