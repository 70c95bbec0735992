package io.squall.websocket;

import static io.squall.gen.Coroutines.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.concurrent.Future;
import io.squall.httpclient.HttpResponse;
import java.util.ArrayDeque;

/**
 * The client side of an open WebSocket, from {@link WebSocket#connect} (Tornado's
 * {@code WebSocketClientConnection}). Read messages with {@link #readMessage()} (or give
 * {@link WebSocket#connect(io.squall.httpclient.HttpRequest, WebSocketOptions, WebSocketListener) connect}
 * a listener), write them with {@link #writeMessage}; {@link #close()} it when done. Use it on the loop
 * it was opened on.
 */
public final class WebSocketClientConnection implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpResponse handshake;
    private final String subprotocol;
    private final WebSocketListener listener;
    private Session session;
    private final Future<Void> closed = new Future<>();
    /** Messages received and not read yet: at most one, the reader waiting until it is taken (back-pressure). */
    private final ArrayDeque<WebSocketMessage> unread = new ArrayDeque<>(1);
    private Future<WebSocketMessage> waitingReader;
    private Future<Void> taken;

    WebSocketClientConnection(HttpResponse handshake, String subprotocol, WebSocketListener listener) {
        this.handshake = handshake;
        this.subprotocol = subprotocol;
        this.listener = listener;
    }

    void attach(Session session) {
        this.session = session;
    }

    /** What the session calls. */
    Session.Application hooks() {
        return new Session.Application() {
            @Override
            public void onText(String text) throws Exception {
                received(new WebSocketMessage.Text(text));
            }

            @Override
            public void onBinary(byte[] data) throws Exception {
                received(new WebSocketMessage.Binary(data));
            }

            @Override
            public void onPing(byte[] payload) throws Exception {
                if (listener != null) {
                    listener.onPing(payload);
                }
            }

            @Override
            public void onPong(byte[] payload) throws Exception {
                if (listener != null) {
                    listener.onPong(payload);
                }
            }

            @Override
            public void onClose() throws Exception {
                closed.trySetResult(null);
                if (waitingReader != null) {
                    Future<WebSocketMessage> reader = waitingReader;
                    waitingReader = null;
                    reader.setResult(null);
                }
                if (listener != null) {
                    listener.onClose();
                }
            }
        };
    }

    private void received(WebSocketMessage message) throws Exception {
        if (listener != null) {
            listener.onMessage(message);
        } else if (waitingReader != null) {
            Future<WebSocketMessage> reader = waitingReader;
            waitingReader = null;
            reader.setResult(message);
        } else {
            unread.add(message);
            taken = new Future<>();
            await(taken); // reads nothing more until the application took it
        }
    }

    /**
     * The next message, or null once the connection is closed (messages received before the close are
     * still returned first). While a message is unread the connection reads nothing more, so a slow reader
     * slows the server down rather than filling memory.
     *
     * @throws IllegalStateException if a read is already pending, or the connection has a listener
     */
    public Future<WebSocketMessage> readMessage() {
        if (listener != null) {
            throw new IllegalStateException("this connection gives its messages to its listener");
        }
        if (!unread.isEmpty()) {
            WebSocketMessage message = unread.poll();
            releaseReader();
            return Future.completed(message);
        }
        if (closed.isDone()) {
            return Future.completed(null);
        }
        if (waitingReader != null) {
            throw new IllegalStateException("a readMessage() is already pending");
        }
        waitingReader = new Future<>();
        return waitingReader;
    }

    private void releaseReader() {
        if (taken != null) {
            Future<Void> t = taken;
            taken = null;
            t.setResult(null);
        }
    }

    /**
     * Sends a text message. The future completes when the frame reached the kernel (await it for flow
     * control) and fails with {@link WebSocketClosedError} once the connection is closed or closing.
     */
    public Future<Void> writeMessage(String message) {
        return session.sendValue(message, null);
    }

    /** Sends a binary message; see {@link #writeMessage(String)}. */
    public Future<Void> writeMessage(byte[] message) {
        return session.sendValue(message, null);
    }

    /** Sends {@code value} as a JSON text message (Jackson); see {@link #writeMessage(String)}. */
    public Future<Void> writeMessage(Object value) {
        return session.sendValue(value, JSON);
    }

    /**
     * Sends a ping with {@code payload} (at most 125 bytes).
     *
     * @throws IllegalArgumentException if the payload is longer
     */
    public Future<Void> ping(byte[] payload) {
        return session.ping(payload);
    }

    /** {@link #close(Integer, String)} with 1000 and no reason. */
    @Override
    public void close() {
        close(CloseCodes.NORMAL, null);
    }

    /**
     * Starts the closing handshake with {@code code} (null for none) and {@code reason}; the server then
     * closes the connection (or the close timeout does). Does nothing if it is closing already.
     *
     * @throws IllegalArgumentException if {@code code} may not be sent or the reason is over 123 bytes
     */
    public void close(Integer code, String reason) {
        session.close(code, reason);
        releaseReader(); // the connection must go on reading to see the server's answer
    }

    /** Completes when the connection is over. */
    public Future<Void> closed() {
        return closed;
    }

    /** The code of the server's close frame, or null (not closed by the server, or no code). */
    public Integer closeCode() {
        return session.closeCode();
    }

    /** The reason of the server's close frame, or null. */
    public String closeReason() {
        return session.closeReason();
    }

    /** The subprotocol the server chose, or null. */
    public String selectedSubprotocol() {
        return subprotocol;
    }

    /** The server's handshake response (101, with its headers). */
    public HttpResponse handshakeResponse() {
        return handshake;
    }
}
