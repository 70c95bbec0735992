package io.squall.websocket;

/** An operation on a WebSocket that is closed, or closing (its close frame was sent). */
public class WebSocketClosedError extends WebSocketError {
    private static final long serialVersionUID = 1L;

    /** An error with a message. */
    public WebSocketClosedError(String message) {
        super(message);
    }
}
