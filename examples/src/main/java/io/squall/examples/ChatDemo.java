package io.squall.examples;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.web.Application;
import io.squall.web.HttpError;
import io.squall.web.RequestHandler;
import io.squall.websocket.WebSocketHandler;
import io.squall.websocket.WebSocketOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The demo's chat room (Tornado's {@code demos/chat}, with WebSocket): one {@link ChatRoom} per loop,
 * shared by WebSocket members and long-polling clients.
 *
 * <ul>
 *   <li>{@code GET /chat}: the page; it talks over the WebSocket, or long-polls where it has none;</li>
 *   <li>{@code /chat/socket?name=NAME}: the WebSocket; text sent is posted as NAME's message; every event
 *       ({@link ChatRoom.Event} as JSON) comes back, the cached ones first; joining and leaving are announced;</li>
 *   <li>{@code POST /chat/new} ({@code name}, {@code body}): posts a message, answered with its event;</li>
 *   <li>{@code POST /chat/updates} ({@code cursor}: the last event id seen, none for all cached): answers
 *       {@code {"events": [...]}} with the newer events, waiting for the next one if there is none yet.</li>
 * </ul>
 *
 * <p>The two POST endpoints keep the site's XSRF protection: the page posts its form, which carries the
 * token ({@code xsrfFormHtml()}), and {@code /chat/new} changes what everyone sees, so another site must
 * not be able to post in a visitor's name. The WebSocket is guarded by its origin check instead.
 */
final class ChatDemo {
    private ChatDemo() {}

    /** Adds the chat's routes. */
    static Application.Builder addTo(Application.Builder app) {
        return app.route("/chat", ChatPageHandler::new)
                .route("/chat/socket", ChatSocketHandler::new)
                .route("/chat/new", NewMessageHandler::new)
                .route("/chat/updates", UpdatesHandler::new);
    }

    private static ChatRoom room(RequestHandler handler) {
        return ChatRoom.of(handler.request().connection().loop());
    }

    /** The chat page. */
    static final class ChatPageHandler extends RequestHandler {
        @Override
        protected void get() {
            render("chat.html", Map.of("maxMessageChars", ChatRoom.MAX_MESSAGE_CHARS,
                    "maxNameChars", ChatRoom.MAX_NAME_CHARS));
        }
    }

    /** A member of the room over WebSocket. */
    static final class ChatSocketHandler extends WebSocketHandler implements ChatRoom.Member {
        /** Events written but not yet sent to a member before it counts as too slow and is closed. */
        private static final int MAX_PENDING_WRITES = 500;
        private static final WebSocketOptions OPTIONS = WebSocketOptions.builder()
                .maxMessageSize(4 * ChatRoom.MAX_MESSAGE_CHARS)
                .build();

        private String name;
        private int pendingWrites;

        @Override
        protected WebSocketOptions webSocketOptions() {
            return OPTIONS;
        }

        @Override
        protected void open(List<String> pathArgs) {
            name = ChatRoom.displayName(getArgument("name", ""));
            room(this).join(this, name);
        }

        @Override
        protected void onMessage(String message) {
            try {
                room(this).post(name, message);
            } catch (IllegalArgumentException e) {
                send(Map.of("kind", "error", "body", e.getMessage()));
            }
        }

        @Override
        protected void onClose() {
            if (name != null) {
                room(this).leave(this, name);
            }
        }

        @Override
        public void send(ChatRoom.Event event) {
            send((Object) event);
        }

        /** Writes without waiting; a member that lets too much pile up is closed (1008) rather than buffered for. */
        private void send(Object value) {
            if (isClosing()) {
                return;
            }
            if (pendingWrites >= MAX_PENDING_WRITES) {
                close(1008, "too far behind");
                return;
            }
            pendingWrites++;
            writeMessage(value).addDoneCallback(written -> pendingWrites--);
        }
    }

    /** Posts a message ({@code name}, {@code body}). */
    static final class NewMessageHandler extends RequestHandler {
        @Override
        protected void post() {
            try {
                write(room(this).post(ChatRoom.displayName(getArgument("name", "")), getArgument("body", "")));
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, null, null, e.getMessage());
            }
        }
    }

    /** Long polling: the events after {@code cursor}, waiting for the next one when there is none yet. */
    static final class UpdatesHandler extends RequestHandler {
        private Future<List<ChatRoom.Event>> waiting;

        @Override
        protected void post() {
            waiting = room(this).eventsAfter(cursor());
            List<ChatRoom.Event> events;
            try {
                events = await(waiting);
            } catch (CancellationException clientLeft) {
                return;
            }
            write(Map.of("events", events));
        }

        @Override
        protected void onConnectionClose() {
            if (waiting != null) {
                room(this).stopWaiting(waiting);
            }
        }

        private Long cursor() {
            String cursor = getArgument("cursor", "");
            if (cursor.isEmpty()) {
                return null;
            }
            try {
                return Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new HttpError(400, null, null, "cursor: an event id");
            }
        }
    }
}
