package io.squall.testing;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client connection of a test ({@link TestServer#websocket}), on the JDK's
 * {@link WebSocket}: received messages are kept in order until {@link #readMessage()} takes them. Use it
 * from a coroutine on the test's loop. Like Tornado's {@code websocket_connect} client.
 */
public final class TestWebSocket implements AutoCloseable {
    /** A received message: text, or binary data. */
    public record Message(String text, byte[] data) {
        /** Whether this is a text message. */
        public boolean isText() {
            return text != null;
        }
    }

    private final WebSocket socket;
    private final Receiver receiver;

    private TestWebSocket(WebSocket socket, Receiver receiver) {
        this.socket = socket;
        this.receiver = receiver;
    }

    /**
     * Opens the connection; a refused upgrade fails with a {@link WebSocketHandshakeException} naming the
     * response's status.
     */
    static TestWebSocket connect(IOLoop loop, WebSocket.Builder builder, URI uri) {
        Receiver receiver = new Receiver(loop);
        try {
            return new TestWebSocket(await(bounded(builder.buildAsync(uri, receiver))), receiver);
        } catch (CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                throw new WebSocketHandshakeException("the WebSocket handshake to " + uri + " got HTTP "
                        + refused.getResponse().statusCode() + " instead of 101", refused);
            }
            throw e;
        }
    }

    /** The server did not upgrade the connection to a WebSocket. */
    public static final class WebSocketHandshakeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WebSocketHandshakeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Sends a text message and awaits its sending. */
    public void send(String text) {
        await(bounded(socket.sendText(text, true)));
    }

    /** Sends a binary message and awaits its sending. */
    public void send(byte[] data) {
        await(bounded(socket.sendBinary(ByteBuffer.wrap(data), true)));
    }

    /**
     * The next received message, in order; completes with null once the connection is closed and every
     * earlier message was read. Call it on the loop.
     */
    public Future<Message> readMessage() {
        return receiver.next();
    }

    /** Sends a close frame with {@code code} and {@code reason} and awaits its sending. */
    public void close(int code, String reason) {
        await(bounded(socket.sendClose(code, reason)));
    }

    /** The close code the server sent, or -1 while it has not closed. */
    public int closeCode() {
        return receiver.closeCode;
    }

    /** The close reason the server sent, or null while it has not closed. */
    public String closeReason() {
        return receiver.closeReason;
    }

    /** Closes normally (1000) if still open, then drops the connection. */
    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) {
                close(WebSocket.NORMAL_CLOSURE, "");
            }
        } catch (Exception e) {
            if (!socket.isOutputClosed()) {
                throw e;
            } // else the client's answer to the server's close got there first
        } finally {
            socket.abort();
        }
    }

    private static <T> CompletableFuture<T> bounded(CompletableFuture<T> stage) {
        return stage.orTimeout(TestServer.CLIENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The JDK client's listener: assembles messages on its threads, hands them to the loop. */
    private static final class Receiver implements WebSocket.Listener {
        private final IOLoop loop;
        // Loop-only state:
        private final Queue<Message> received = new ArrayDeque<>();
        private final Queue<Future<Message>> readers = new ArrayDeque<>();
        private boolean closed;
        // Client-thread state (the JDK delivers one event at a time):
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private volatile int closeCode = -1;
        private volatile String closeReason;

        Receiver(IOLoop loop) {
            this.loop = loop;
        }

        Future<Message> next() {
            if (!received.isEmpty()) {
                return Future.completed(received.remove());
            }
            if (closed) {
                return Future.completed(null);
            }
            Future<Message> reader = new Future<>();
            readers.add(reader);
            return reader;
        }

        private void deliver(Message message) {
            loop.addCallback(() -> {
                if (message == null) {
                    closed = true;
                    readers.forEach(r -> r.trySetResult(null));
                    readers.clear();
                } else if (!readers.isEmpty()) {
                    readers.remove().trySetResult(message);
                } else {
                    received.add(message);
                }
            });
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence part, boolean last) {
            text.append(part);
            if (last) {
                deliver(new Message(text.toString(), null));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer part, boolean last) {
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            data.writeBytes(bytes);
            if (last) {
                deliver(new Message(null, data.toByteArray()));
                data.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode = statusCode;
            deliver(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            deliver(null);
        }
    }
}
