package io.squall.bench.ws;

import static io.squall.gen.Coroutines.await;

import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import io.squall.websocket.WebSocketHandler;

/**
 * Squall's side of the WebSocket echo comparison, written as a user would: an {@link Application} on
 * one loop with a {@link WebSocketHandler} on {@code /ws} that sends every text message back as text and
 * every binary one as binary, awaiting each write (flow control). Default options: messages up to
 * 10 MiB, no compression, no pings. Access logging is off, as in the peers.
 */
public final class SquallWebSocketServer {
    private SquallWebSocketServer() {}

    /** Serves on port {@code args[0]} until killed. */
    public static void main(String[] args) {
        IOLoop loop = new IOLoop();
        loop.makeCurrent();
        Application app = Application.builder()
                .route("/ws", Echo::new)
                .logFunction(handler -> {})
                .build();
        app.listen(Integer.parseInt(args[0]), "127.0.0.1");
        loop.start();
    }

    /** Echoes each message as it came. */
    static final class Echo extends WebSocketHandler {
        @Override
        protected void onMessage(String message) {
            await(writeMessage(message));
        }

        @Override
        protected void onMessage(byte[] message) {
            await(writeMessage(message));
        }
    }
}
