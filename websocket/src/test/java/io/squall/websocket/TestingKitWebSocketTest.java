package io.squall.websocket;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.SquallTest;
import io.squall.testing.TestServer;
import io.squall.testing.TestWebSocket;
import io.squall.web.Application;
import org.junit.jupiter.api.Test;

/**
 * The testing kit's {@link TestServer#websocket} against a {@link WebSocketHandler} (docs/guide/testing.md):
 * text and binary messages in order, the server's close code and reason, null once closed.
 */
@SquallTest
class TestingKitWebSocketTest {
    /** Echoes every message; "bye" closes with 4000. */
    static class Echo extends WebSocketHandler {
        @Override
        protected void onMessage(String message) {
            if (message.equals("bye")) {
                close(4000, "asked to");
            } else {
                writeMessage(message);
            }
        }

        @Override
        protected void onMessage(byte[] message) {
            writeMessage(message);
        }
    }

    @Test
    void echoesInOrderAndSeesTheServersClose() throws Exception {
        try (TestServer server = TestServer.start(Application.builder().route("/echo", Echo::new).build());
             TestWebSocket ws = server.websocket("/echo")) {
            ws.send("one");
            ws.send(new byte[] {1, 2, 3});
            ws.send("two");
            assertEquals("one", await(ws.readMessage()).text());
            TestWebSocket.Message binary = await(ws.readMessage());
            assertTrue(!binary.isText());
            assertArrayEquals(new byte[] {1, 2, 3}, binary.data());
            assertEquals("two", await(ws.readMessage()).text());
            ws.send("bye");
            assertNull(await(ws.readMessage()));
            assertNull(await(ws.readMessage()));
            assertEquals(4000, ws.closeCode());
            assertEquals("asked to", ws.closeReason());
        }
    }
}
