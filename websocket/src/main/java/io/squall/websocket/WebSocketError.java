package io.squall.websocket;

/** A WebSocket failed: a handshake the client cannot accept, or a connection that is closed. */
public class WebSocketError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a message. */
    public WebSocketError(String message) {
        super(message);
    }

    /** An error with a message and a cause. */
    public WebSocketError(String message, Throwable cause) {
        super(message, cause);
    }
}
