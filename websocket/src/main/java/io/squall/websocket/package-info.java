/**
 * WebSocket (RFC 6455) for Squall: Tornado's {@code websocket} module.
 *
 * <ul>
 *   <li>{@link io.squall.websocket.WebSocketHandler}: the server side, a {@code RequestHandler} that
 *       answers the upgrade and then gets {@code open}, each message and the close on the
 *       connection's loop.</li>
 *   <li>{@link io.squall.websocket.WebSocket#connect}: the client, giving a
 *       {@link io.squall.websocket.WebSocketClientConnection} to read and write
 *       {@link io.squall.websocket.WebSocketMessage}s (or to hand them to a
 *       {@link io.squall.websocket.WebSocketListener}).</li>
 *   <li>{@link io.squall.websocket.WebSocketOptions}: limits, ping interval and pong deadline, and
 *       permessage-deflate (RFC 7692, {@link io.squall.websocket.DeflateOptions}).</li>
 * </ul>
 *
 * <p>Both sides validate strictly and close with the RFC's codes ({@link io.squall.websocket.CloseCodes}):
 * 1002 for a protocol error, 1007 for invalid UTF-8, 1009 for a message over the size limit. A closed
 * connection fails later operations with {@link io.squall.websocket.WebSocketClosedError}.
 */
package io.squall.websocket;
