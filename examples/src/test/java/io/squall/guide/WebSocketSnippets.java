package io.squall.guide;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.web.Application;
import io.squall.websocket.WebSocket;
import io.squall.websocket.WebSocketClientConnection;
import io.squall.websocket.WebSocketHandler;
import io.squall.websocket.WebSocketMessage;
import io.squall.websocket.WebSocketOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The snippets of docs/guide/websocket.md; {@link GuideSnippetsRunTest} runs them. */
final class WebSocketSnippets {
    private WebSocketSnippets() {
    }

    /** The chat rooms of the guide's handler: who is in which room, on one loop. */
    static final class Rooms {
        private final Map<WebSocketHandler, String> members = new HashMap<>();

        Future<Void> join(String room, WebSocketHandler member) {
            members.put(member, room);
            return Future.completed(null);
        }

        void leave(WebSocketHandler member) {
            members.remove(member);
        }
    }

    static final Rooms rooms = new Rooms();

    // tag::server[]
    static class ChatHandler extends WebSocketHandler {
        @Override
        protected WebSocketOptions webSocketOptions() {           // optional: limits, pings, compression
            return WebSocketOptions.builder()
                    .maxMessageSize(1 << 20)
                    .pingInterval(Duration.ofSeconds(20))         // pingTimeout defaults to the interval
                    .compression()                                // permessage-deflate when the client offers it
                    .build();
        }

        @Override
        protected void open(List<String> pathArgs) {              // may await; no message arrives before it returns
            await(rooms.join(pathArgs.get(0), this));
        }

        @Override
        protected void onMessage(String message) {                // one at a time, in order; may await
            await(writeMessage(Map.of("echo", message)));         // String, byte[] or an object as JSON
        }

        @Override
        protected void onClose() {                                // exactly once, however the connection ends
            rooms.leave(this);                                    // closeCode()/closeReason(): the client's close frame
        }
    }

    static Application chatApplication() {
        return Application.builder().route("/chat/([a-z]+)", ChatHandler::new).build();
    }
    // end::server[]

    static String client(String url) {                            // call from a coroutine
        StringBuilder printed = new StringBuilder();
        // tag::client[]
        WebSocketClientConnection ws = await(WebSocket.connect(url,   // e.g. "wss://example.com/chat/lobby"
                WebSocketOptions.builder().compression().subprotocols(List.of("chat.v1")).build()));
        await(ws.writeMessage("hello"));
        switch (await(ws.readMessage())) {                        // null once the connection is closed
            case WebSocketMessage.Text t -> printed.append(t.text());
            case WebSocketMessage.Binary b -> printed.append(b.data().length + " bytes");
            case null -> printed.append("closed: " + ws.closeCode() + " " + ws.closeReason());
        }
        ws.close();
        // end::client[]
        return printed.toString();
    }
}
