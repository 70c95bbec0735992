package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import io.squall.websocket.WebSocket;
import io.squall.websocket.WebSocketClientConnection;
import io.squall.websocket.WebSocketMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The chat demo over real sockets: Squall's WebSocket client for members, the JDK HttpClient for long polling. */
class ChatDemoTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(WebSocketClientConnection ws) throws Exception {
        WebSocketMessage message = await(ws.readMessage());
        assertTrue(message instanceof WebSocketMessage.Text, "a text message, not " + message);
        return JSON.readTree(((WebSocketMessage.Text) message).text());
    }

    private static void assertEvent(JsonNode event, String kind, String name, String body, int members) {
        assertEquals(kind, event.get("kind").asText(), event.toString());
        assertEquals(name, event.get("name").asText(), event.toString());
        assertEquals(body, event.get("body").asText(), event.toString());
        assertEquals(members, event.get("members").asInt(), event.toString());
    }

    @Test
    void membersSeeEachOthersMessagesAndLeavingIsAnnounced() {
        try (IOLoop loop = new IOLoop(); Application app = DemoApp.build()) {
            loop.runSync(() -> {
                String socket = "ws://127.0.0.1:" + app.listen(0, "127.0.0.1") + "/chat/socket?name=";
                WebSocketClientConnection alice = await(WebSocket.connect(socket + "alice"));
                assertEvent(read(alice), "join", "alice", "", 1);
                WebSocketClientConnection bob = await(WebSocket.connect(socket + "bob"));
                assertEvent(read(bob), "join", "alice", "", 1);          // the cached event first
                assertEvent(read(bob), "join", "bob", "", 2);
                assertEvent(read(alice), "join", "bob", "", 2);

                await(alice.writeMessage("<b>hi</b> bob"));
                assertEvent(read(bob), "message", "alice", "<b>hi</b> bob", 2);
                assertEvent(read(alice), "message", "alice", "<b>hi</b> bob", 2);

                await(alice.writeMessage("x".repeat(ChatRoom.MAX_MESSAGE_CHARS + 1)));
                assertEquals("error", read(alice).get("kind").asText());

                bob.close();
                assertEvent(read(alice), "leave", "bob", "", 1);
                assertEquals(1, ChatRoom.of(loop).memberCount());
                alice.close();
                return null;
            });
        }
    }

    @Test
    void aWaitingUpdatesRequestIsAnsweredByAPostedMessage() {
        try (IOLoop loop = new IOLoop(); Application app = DemoApp.build()) {
            loop.runSync(() -> {
                URI base = URI.create("http://127.0.0.1:" + app.listen(0, "127.0.0.1"));
                HttpResponse<String> page = await(send(loop, HttpRequest.newBuilder(base.resolve("/chat")).build()));
                assertEquals(200, page.statusCode());
                String cookie = page.headers().allValues("Set-Cookie").stream()
                        .filter(c -> c.startsWith("_xsrf=")).findFirst().orElseThrow().split(";")[0];
                String token = cookie.substring("_xsrf=".length());

                HttpResponse<String> first = await(post(loop, base, "/chat/new", cookie, "_xsrf=" + encode(token)
                        + "&name=carol&body=" + encode("first & <last>")));
                assertEquals(200, first.statusCode(), first.body());
                long cursor = JSON.readTree(first.body()).get("id").asLong();

                // Nothing newer than the cursor yet: the request waits until the next message is posted.
                Future<HttpResponse<String>> updates = post(loop, base, "/chat/updates", cookie,
                        "_xsrf=" + encode(token) + "&cursor=" + cursor);
                HttpResponse<String> second = await(post(loop, base, "/chat/new", cookie,
                        "_xsrf=" + encode(token) + "&name=dave&body=second"));
                assertEquals(200, second.statusCode(), second.body());
                HttpResponse<String> answer = await(updates);
                assertEquals(200, answer.statusCode(), answer.body());
                JsonNode events = JSON.readTree(answer.body()).get("events");
                assertEquals(1, events.size(), answer.body());
                assertEvent(events.get(0), "message", "dave", "second", 0);
                assertEquals(0, ChatRoom.of(loop).waiterCount());

                // No cursor: everything cached, escaped by nobody (the page displays it as text).
                HttpResponse<String> all = await(post(loop, base, "/chat/updates", cookie, "_xsrf=" + encode(token)));
                assertEquals(2, JSON.readTree(all.body()).get("events").size(), all.body());
                assertEquals("first & <last>", JSON.readTree(all.body()).get("events").get(0).get("body").asText());

                HttpResponse<String> forged = await(post(loop, base, "/chat/new", cookie, "name=eve&body=forged"));
                assertEquals(403, forged.statusCode());
                HttpResponse<String> empty = await(post(loop, base, "/chat/new", cookie, "_xsrf=" + encode(token) + "&body=+"));
                assertEquals(400, empty.statusCode());
                HttpResponse<String> badCursor = await(post(loop, base, "/chat/updates", cookie,
                        "_xsrf=" + encode(token) + "&cursor=abc"));
                assertEquals(400, badCursor.statusCode());
                return null;
            });
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Future<HttpResponse<String>> send(IOLoop loop, HttpRequest request) {
        return loop.runInExecutor(null, () -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static Future<HttpResponse<String>> post(IOLoop loop, URI base, String path, String cookie, String form) {
        return send(loop, HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }
}
