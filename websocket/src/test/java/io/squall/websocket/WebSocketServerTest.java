package io.squall.websocket;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.web.HttpError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server side over raw sockets: the handshake and its refusals, messages, every RFC 6455 violation
 * with the close code it gets, the closing handshake both ways, liveness, and Tornado's websocket_test
 * behaviours (async open before messages, messages one at a time, errors in hooks, origins, subprotocols).
 */
class WebSocketServerTest extends WebSocketTestCase {
    private final Recorded recorded = new Recorded();

    private WireSocket connect(String path, String extraHeaders) throws Exception {
        WireSocket ws = WireSocket.open(port, WireSocket.upgrade(path, extraHeaders), TEST_TIMEOUT);
        assertTrue(ws.responseHead.startsWith("HTTP/1.1 101 "), ws.responseHead);
        return ws;
    }

    private String handshakeResponse(String head) {
        return blocking(() -> {
            try (WireSocket ws = WireSocket.open(port, head, TEST_TIMEOUT)) {
                return ws.responseHead;
            }
        });
    }

    // ------------------------------------------------------------------ handshake

    @Test
    void handshakeAnswersTheRfcExampleKey() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            String head = handshakeResponse(WireSocket.upgrade("/ws", "Origin: http://127.0.0.1\n"));
            assertTrue(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head);
            assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
            assertTrue(head.contains("Upgrade: websocket\r\n") && head.contains("Connection: Upgrade\r\n"), head);
            assertFalse(head.contains("Content-Type"), head);
            await(recorded.closed);
            assertEquals(1, recorded.closes);
        });
    }

    @Test
    void nonUpgradeRequestsAndBadKeysGet400() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            assertTrue(handshakeResponse("GET /ws HTTP/1.1\nHost: x\nConnection: close").startsWith("HTTP/1.1 400 "));
            String noConnection = WireSocket.upgrade("/ws", "").replace("Connection: Upgrade\n", "");
            assertTrue(handshakeResponse(noConnection).startsWith("HTTP/1.1 400 "));
            String noKey = WireSocket.upgrade("/ws", "").replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n", "");
            assertTrue(handshakeResponse(noKey).startsWith("HTTP/1.1 400 "));
            String shortKey = WireSocket.upgrade("/ws", "").replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=");
            assertTrue(handshakeResponse(shortKey).startsWith("HTTP/1.1 400 "));
            String notBase64 = WireSocket.upgrade("/ws", "").replace("dGhlIHNhbXBsZSBub25jZQ==", "!!!!!!!!!!!!!!!!!!!!!!==");
            assertTrue(handshakeResponse(notBase64).startsWith("HTTP/1.1 400 "));
            String post = WireSocket.upgrade("/ws", "Content-Length: 0\n").replace("GET", "POST");
            assertTrue(handshakeResponse(post).startsWith("HTTP/1.1 405 "));
            assertEquals(List.of(), recorded.events);
        });
    }

    @Test
    void anotherVersionGets426WithTheSupportedOne() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            String head = handshakeResponse(WireSocket.upgrade("/ws", "").replace("Version: 13", "Version: 12"));
            assertTrue(head.startsWith("HTTP/1.1 426 "), head);
            assertTrue(head.contains("Sec-WebSocket-Version: 13\r\n"), head);
        });
    }

    @Test
    void crossOriginIsRefusedWith403ByDefault() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            for (String origin : List.of("http://127.0.0.1:" + port, "http://127.0.0.1:" + port + "/something")) {
                String head = handshakeResponse(WireSocket.upgrade("/ws", "Origin: " + origin + "\n")
                        .replace("Host: 127.0.0.1", "Host: 127.0.0.1:" + port));
                assertTrue(head.startsWith("HTTP/1.1 101 "), origin + ": " + head);
            }
            for (String origin : List.of("127.0.0.1:" + port, "http://somewhereelse.com", "http://subtenant.localhost")) {
                String head = handshakeResponse(WireSocket.upgrade("/ws", "Origin: " + origin + "\n")
                        .replace("Host: 127.0.0.1", "Host: 127.0.0.1:" + port));
                assertTrue(head.startsWith("HTTP/1.1 403 "), origin + ": " + head);
            }
        });
    }

    @Test
    void subprotocolIsSelectedAndHeadersSetInPrepareAreSent() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void prepare() {
                    setHeader("X-Extra", "yes");
                }

                @Override
                protected String selectSubprotocol(List<String> offered) {
                    return offered.contains("goodproto") ? "goodproto" : null;
                }
            });
            String head = handshakeResponse(WireSocket.upgrade("/ws", "Sec-WebSocket-Protocol: badproto, goodproto\n"));
            assertTrue(head.contains("Sec-WebSocket-Protocol: goodproto\r\n"), head);
            assertTrue(head.contains("X-Extra: yes\r\n"), head);
            await(recorded.closed);
            assertEquals("goodproto", recorded.handler.selectedSubprotocol());
            String none = handshakeResponse(WireSocket.upgrade("/ws", ""));
            assertFalse(none.contains("Sec-WebSocket-Protocol"), none);
        });
    }

    @Test
    void prepareMayRefuseTheHandshake() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void prepare() {
                    throw new HttpError(401);
                }
            });
            assertTrue(handshakeResponse(WireSocket.upgrade("/ws", "")).startsWith("HTTP/1.1 401 "));
        });
    }

    // ------------------------------------------------------------------ messages

    @Test
    void textBinaryAndJsonMessagesEchoIntactWithPathArgs() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void onMessage(String message) throws Exception {
                    super.onMessage(message);
                    if (message.equals("json")) {
                        writeMessage((Object) Map.of("key", "välue"));
                    }
                }
            });
            byte[] binary = new byte[70000];
            new java.util.Random(3).nextBytes(binary);
            List<WireSocket.Frame> frames = blocking(() -> {
                try (WireSocket ws = connect("/ws/abc%20d", "")) {
                    ws.sendText("héllo ☃ 😀");
                    ws.send(Frames.BINARY, true, binary);
                    ws.sendText("json");
                    // A message in three fragments, a ping between them.
                    ws.send(Frames.TEXT, false, "frag".getBytes(StandardCharsets.UTF_8));
                    ws.send(Frames.PING, true, "p".getBytes(StandardCharsets.UTF_8));
                    ws.send(Frames.CONTINUATION, false, "men".getBytes(StandardCharsets.UTF_8));
                    ws.send(Frames.CONTINUATION, true, "ted".getBytes(StandardCharsets.UTF_8));
                    List<WireSocket.Frame> got = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        got.add(ws.read());
                    }
                    ws.sendClose(1000, "");
                    got.add(ws.readClose());
                    assertTrue(ws.closedByPeer());
                    return got;
                }
            });
            assertEquals("héllo ☃ 😀", frames.get(0).text());
            assertFalse(frames.get(0).masked());
            assertArrayEquals(binary, frames.get(1).payload());
            assertEquals("json", frames.get(2).text());
            assertEquals("{\"key\":\"välue\"}", frames.get(3).text());
            assertEquals(Frames.PONG, frames.get(4).opcode());
            assertEquals("p", frames.get(4).text());
            assertEquals("fragmented", frames.get(5).text());
            assertEquals(1000, frames.get(6).closeCode());
            await(recorded.closed);
            assertEquals(List.of("open:[abc d]", "text:héllo ☃ 😀", "binary:70000", "text:json", "ping:p",
                    "text:fragmented", "close:1000:"), recorded.events);
        });
    }

    /** The handler lives as long as its connection: it keeps its request, not the response it sent. */
    @Test
    void afterTheHandshakeTheHandlerKeepsItsRequestAndLetsGoOfTheResponseItSent() {
        run(() -> {
            List<String> seen = new ArrayList<>();
            serve(() -> new WebSocketHandler() {
                @Override
                protected void onFinish() {
                    seen.add("onFinish: accept sent " + (getResponseHeader("Sec-WebSocket-Accept") != null));
                }

                @Override
                protected void open(List<String> pathArgs) {
                    seen.add("open: accept " + getResponseHeader("Sec-WebSocket-Accept")
                            + ", key kept " + (request().headers().get("Sec-WebSocket-Key") != null));
                    writeMessage("opened");
                }

                @Override
                protected void onClose() {
                    recorded.closed.trySetResult(null);
                }
            });
            blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    assertEquals("opened", ws.read().text());
                    ws.sendClose(1000, "");
                    ws.readClose();
                }
                return null;
            });
            await(recorded.closed);
            assertEquals(List.of("onFinish: accept sent true", "open: accept null, key kept true"), seen);
        });
    }

    @Test
    void asyncOpenCompletesBeforeMessagesWhichAreHandledOneAtATimeInOrder() {
        run(() -> {
            List<String> log = new ArrayList<>();
            serve(() -> new WebSocketHandler() {
                @Override
                protected void open(List<String> pathArgs) {
                    await(sleep(ms(20)));
                    log.add("opened");
                }

                @Override
                protected void onMessage(String message) {
                    log.add("start " + message);
                    await(sleep(ms(5)));
                    log.add("end " + message);
                    writeMessage(message);
                }

                @Override
                protected void onClose() {
                    recorded.closed.trySetResult(null);
                }
            });
            blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    for (int i = 0; i < 3; i++) {
                        ws.sendText("m" + i);
                    }
                    for (int i = 0; i < 3; i++) {
                        assertEquals("m" + i, ws.read().text());
                    }
                    ws.sendClose(1000, "");
                    ws.readClose();
                }
                return null;
            });
            await(recorded.closed);
            assertEquals(List.of("opened", "start m0", "end m0", "start m1", "end m1", "start m2", "end m2"), log);
        });
    }

    @Test
    void exceptionInOnMessageIsLoggedAndClosesWith1011() {
        expectErrors();
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void onMessage(String message) {
                    throw new IllegalStateException("boom");
                }
            });
            WireSocket.Frame close = blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    ws.sendText("hi");
                    ws.sendText("never delivered");
                    return ws.readClose();
                }
            });
            assertEquals(1011, close.closeCode());
            await(recorded.closed);
            assertEquals(1, logs.matching(ch.qos.logback.classic.Level.ERROR, "Uncaught exception in onMessage").size());
            assertEquals(List.of("open:[]", "close:null:null"), recorded.events);
        });
    }

    @Test
    void exceptionInAsyncOpenIsLoggedAndClosesTheConnection() {
        expectErrors();
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void open(List<String> pathArgs) {
                    await(sleep(ms(1)));
                    throw new IllegalStateException("boom");
                }
            });
            WireSocket.Frame close = blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    return ws.readClose();
                }
            });
            assertEquals(1011, close.closeCode());
            await(recorded.closed);
            assertEquals(1, recorded.closes);
        });
    }

    @Test
    void writeMessageAfterCloseFailsWithWebSocketClosedError() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    ws.sendClose(1000, "");
                    ws.readClose();
                }
                return null;
            });
            await(recorded.closed);
            Future<Void> write = recorded.handler.writeMessage("late");
            assertThrows(WebSocketClosedError.class, () -> await(write));
            assertThrows(WebSocketClosedError.class, () -> await(recorded.handler.ping(new byte[0])));
        });
    }

    // ------------------------------------------------------------------ RFC 6455 violations

    /** Sends {@code bytes} after the handshake; returns the close code the server answers with (it then closes). */
    private int closeCodeAfter(byte[] bytes, WebSocketOptions options) {
        serve(() -> new RecordingHandler(recorded, options));
        int code = blocking(() -> {
            try (WireSocket ws = connect("/ws", "")) {
                ws.send(bytes);
                WireSocket.Frame close = ws.readClose();
                assertTrue(ws.closedByPeer(), "the server closes TCP after its close frame");
                return close.closeCode();
            }
        });
        await(recorded.closed);
        assertEquals(1, recorded.closes);
        return code;
    }

    private static byte[] masked(int opcode, boolean fin, byte[] payload) {
        return WireSocket.frame(opcode, fin, payload, true);
    }

    private static byte[] join(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void unmaskedClientFrameGets1002() {
        run(() -> assertEquals(1002, closeCodeAfter(WireSocket.frame(Frames.TEXT, true, "hi".getBytes(), false),
                WebSocketOptions.DEFAULTS)));
        assertEquals(List.of("open:[]", "close:null:null"), recorded.events); // never delivered
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10})
    void reservedBitsGet1002(int bit) {
        byte[] frame = masked(Frames.TEXT, true, "hi".getBytes());
        frame[0] |= (byte) bit;
        run(() -> assertEquals(1002, closeCodeAfter(frame, WebSocketOptions.DEFAULTS)));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 7, 0xB, 0xF})
    void unknownOpcodesGet1002(int opcode) {
        byte[] frame = masked(Frames.TEXT, true, "hi".getBytes());
        frame[0] = (byte) (0x80 | opcode);
        run(() -> assertEquals(1002, closeCodeAfter(frame, WebSocketOptions.DEFAULTS)));
    }

    @Test
    void fragmentedControlFrameGets1002() {
        run(() -> assertEquals(1002, closeCodeAfter(masked(Frames.PING, false, new byte[0]), WebSocketOptions.DEFAULTS)));
    }

    @Test
    void oversizedControlFrameGets1002() {
        run(() -> assertEquals(1002, closeCodeAfter(masked(Frames.PING, true, new byte[126]), WebSocketOptions.DEFAULTS)));
    }

    @Test
    void continuationWithoutStartGets1002() {
        run(() -> assertEquals(1002, closeCodeAfter(masked(Frames.CONTINUATION, true, "x".getBytes()), WebSocketOptions.DEFAULTS)));
    }

    @Test
    void oneByteClosePayloadGets1002() {
        run(() -> assertEquals(1002, closeCodeAfter(masked(Frames.CLOSE, true, new byte[] {3}), WebSocketOptions.DEFAULTS)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
    void invalidCloseCodesGet1002(int code) {
        byte[] payload = {(byte) (code >> 8), (byte) code};
        run(() -> assertEquals(1002, closeCodeAfter(masked(Frames.CLOSE, true, payload), WebSocketOptions.DEFAULTS)));
    }

    @Test
    void invalidUtf8Gets1007EvenAcrossFragmentsBeforeTheMessageEnds() {
        // The second fragment breaks the sequence the first began; the last fragment never comes.
        byte[] bytes = join(masked(Frames.TEXT, false, new byte[] {'a', (byte) 0xF0, (byte) 0x9F}),
                masked(Frames.CONTINUATION, false, new byte[] {'b'}));
        run(() -> assertEquals(1007, closeCodeAfter(bytes, WebSocketOptions.DEFAULTS)));
    }

    @Test
    void invalidUtf8InACloseReasonGets1007() {
        byte[] payload = {0x03, (byte) 0xE8, (byte) 0xFF};
        run(() -> assertEquals(1007, closeCodeAfter(masked(Frames.CLOSE, true, payload), WebSocketOptions.DEFAULTS)));
    }

    @Test
    void messagesOverMaxMessageSizeGet1009() {
        WebSocketOptions small = WebSocketOptions.builder().maxMessageSize(1024).build();
        run(() -> {
            serve(() -> new RecordingHandler(recorded, small));
            blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    ws.send(Frames.BINARY, true, new byte[1024]);
                    assertEquals(1024, ws.read().payload().length);
                    ws.send(Frames.BINARY, false, new byte[1000]);
                    ws.send(Frames.CONTINUATION, true, new byte[25]);
                    WireSocket.Frame close = ws.readClose();
                    assertEquals(1009, close.closeCode());
                    assertEquals("message too big", close.closeReason());
                    assertTrue(ws.closedByPeer());
                }
                return null;
            });
            await(recorded.closed);
        });
    }

    // ------------------------------------------------------------------ closing

    @Test
    void clientCloseReachesOnCloseAndIsEchoed() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            WireSocket.Frame echo = blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    ws.sendClose(1001, "goodbye");
                    WireSocket.Frame close = ws.readClose();
                    assertTrue(ws.closedByPeer());
                    return close;
                }
            });
            assertEquals(1001, echo.closeCode());
            await(recorded.closed);
            assertEquals(1001, recorded.handler.closeCode());
            assertEquals("goodbye", recorded.handler.closeReason());
            assertEquals(1, recorded.closes);
        });
    }

    @Test
    void closeWithoutCodeIsAnsweredWithoutCodeNever1005() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            WireSocket.Frame echo = blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    ws.send(Frames.CLOSE, true, new byte[0]);
                    return ws.readClose();
                }
            });
            assertEquals(0, echo.payload().length);
            await(recorded.closed);
            assertEquals(null, recorded.handler.closeCode());
        });
    }

    @Test
    void serverCloseCompletesWhenTheClientAnswers() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void open(List<String> pathArgs) throws Exception {
                    super.open(pathArgs);
                    close(1001, "goodbye");
                    assertTrue(isClosing());
                    assertThrows(WebSocketClosedError.class, () -> await(writeMessage("after close")));
                }
            });
            WireSocket.Frame close = blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    WireSocket.Frame f = ws.readClose();
                    ws.sendClose(f.closeCode(), "");
                    assertTrue(ws.closedByPeer());
                    return f;
                }
            });
            assertEquals(1001, close.closeCode());
            assertEquals("goodbye", close.closeReason());
            await(recorded.closed);
            assertEquals(1001, recorded.handler.closeCode());
        });
    }

    @Test
    void serverCloseTimesOutWhenTheClientNeverAnswers() {
        WebSocketOptions quick = WebSocketOptions.builder().closeTimeout(ms(100)).build();
        run(() -> {
            serve(() -> new RecordingHandler(recorded, quick) {
                @Override
                protected void open(List<String> pathArgs) throws Exception {
                    super.open(pathArgs);
                    close();
                }
            });
            blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    assertEquals(1000, ws.readClose().closeCode());
                    assertTrue(ws.closedByPeer()); // without our answer: the close timeout
                }
                return null;
            });
            await(recorded.closed);
            assertEquals(1, recorded.closes);
        });
    }

    @Test
    void closeArgumentsAreChecked() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    return null;
                }
            });
            WebSocketHandler handler = await(recorded.opened);
            assertThrows(IllegalArgumentException.class, () -> handler.close(1005, null));
            assertThrows(IllegalArgumentException.class, () -> handler.close(1006, null));
            assertThrows(IllegalArgumentException.class, () -> handler.close(1000, "x".repeat(124)));
            assertThrows(IllegalArgumentException.class, () -> handler.ping(new byte[126]));
            await(recorded.closed);
        });
    }

    @Test
    void clientVanishingFiresOnCloseOnce() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            blocking(() -> {
                WireSocket ws = connect("/ws", "");
                ws.sendText("x");
                ws.read();
                ws.close(); // no close frame
                return null;
            });
            await(recorded.closed);
            assertEquals(List.of("open:[]", "text:x", "close:null:null"), recorded.events);
            assertEquals(1, recorded.closes);
        });
    }

    // ------------------------------------------------------------------ liveness

    @Test
    void pingsAreAnsweredWithTheSamePayload() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            WireSocket.Frame pong = blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    ws.send(Frames.PING, true, "hello".getBytes(StandardCharsets.UTF_8));
                    WireSocket.Frame f = ws.read();
                    ws.sendClose(1000, "");
                    ws.readClose();
                    return f;
                }
            });
            assertEquals(Frames.PONG, pong.opcode());
            assertEquals("hello", pong.text());
            await(recorded.closed);
            assertTrue(recorded.events.contains("ping:hello"));
        });
    }

    @Test
    void periodicPingsReachTheClientAndPongsReachTheHandler() {
        WebSocketOptions pinging = WebSocketOptions.builder().pingInterval(ms(20)).build();
        run(() -> {
            serve(() -> new RecordingHandler(recorded, pinging));
            blocking(() -> {
                try (WireSocket ws = connect("/ws", "")) {
                    for (int i = 0; i < 3; i++) {
                        WireSocket.Frame ping = ws.read();
                        assertEquals(Frames.PING, ping.opcode());
                        ws.send(Frames.PONG, true, ping.payload());
                    }
                    ws.sendClose(1000, "");
                    ws.readClose();
                }
                return null;
            });
            await(recorded.closed);
            assertTrue(recorded.events.contains("pong:"), recorded.events.toString());
        });
    }

    @Test
    void aPeerThatStopsAnsweringPingsIsClosed() {
        WebSocketOptions pinging = WebSocketOptions.builder().pingInterval(ms(20)).pingTimeout(ms(50)).build();
        run(() -> {
            serve(() -> new RecordingHandler(recorded, pinging));
            WireSocket ws = blocking(() -> connect("/ws", ""));
            try {
                await(recorded.closed); // the client reads nothing and answers no ping
                assertEquals(1, recorded.closes);
                assertTrue(blocking(() -> {
                    while (true) {
                        try {
                            if (ws.read().opcode() != Frames.PING) {
                                return false;
                            }
                        } catch (java.io.EOFException | java.net.SocketException e) {
                            return true;
                        }
                    }
                }));
            } finally {
                ws.close();
            }
        });
    }
}
