package io.squall.websocket;

/** A message a {@link WebSocketClientConnection} received: {@link Text} or {@link Binary}. */
public sealed interface WebSocketMessage {
    /** A text message. */
    record Text(String text) implements WebSocketMessage {}

    /** A binary message. */
    record Binary(byte[] data) implements WebSocketMessage {}
}
