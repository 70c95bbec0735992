package io.squall.websocket;

/**
 * Callbacks of a {@link WebSocketClientConnection}, instead of {@link WebSocketClientConnection#readMessage()}
 * (Tornado's {@code on_message_callback}). They run one at a time in the connection's coroutine, in order,
 * and may await (the connection reads nothing more meanwhile). Every method does nothing by default.
 */
public interface WebSocketListener {
    /** A message arrived. */
    default void onMessage(WebSocketMessage message) throws Exception {}

    /** A ping arrived (the pong is already sent). */
    default void onPing(byte[] payload) throws Exception {}

    /** A pong arrived. */
    default void onPong(byte[] payload) throws Exception {}

    /** The connection is over (called once). */
    default void onClose() throws Exception {}
}
