package io.squall.websocket;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.httpserver.HttpServerOptions;
import io.squall.httpclient.ConnectFailedException;
import io.squall.httpclient.HttpClientError;
import io.squall.httpclient.HttpRequest;
import io.squall.httpclient.ProxySettings;
import io.squall.testing.TestCertificates;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The client against Squall's server (echo, closes both ways, errors of the handshake, subprotocols,
 * compression, TLS, a CONNECT proxy) and against a raw server breaking the protocol.
 */
class WebSocketClientTest extends WebSocketTestCase {
    private final Recorded recorded = new Recorded();

    private String url(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    private static String text(WebSocketMessage message) {
        return ((WebSocketMessage.Text) message).text();
    }

    @Test
    void echoesTextBinaryAndJsonThenCloses() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            WebSocketClientConnection ws = await(WebSocket.connect(url("/ws")));
            await(ws.writeMessage("héllo"));
            assertEquals("héllo", text(await(ws.readMessage())));
            byte[] bytes = {0, 1, 2, (byte) 0xFF};
            await(ws.writeMessage(bytes));
            assertArrayEquals(bytes, ((WebSocketMessage.Binary) await(ws.readMessage())).data());
            await(ws.writeMessage((Object) Map.of("a", 1)));
            assertEquals("{\"a\":1}", text(await(ws.readMessage())));
            ws.close(1001, "goodbye");
            assertNull(await(ws.readMessage()));
            await(ws.closed());
            await(recorded.closed);
            assertEquals(1001, recorded.handler.closeCode());
            assertEquals("goodbye", recorded.handler.closeReason());
            assertEquals(1001, ws.closeCode()); // the server echoed it
            assertThrows(WebSocketClosedError.class, () -> await(ws.writeMessage("late")));
        });
    }

    @Test
    void serverCloseReachesTheClient() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void onMessage(String message) {
                    close(1001, "goodbye");
                }
            });
            WebSocketClientConnection ws = await(WebSocket.connect(url("/ws")));
            await(ws.writeMessage("close please"));
            assertNull(await(ws.readMessage()));
            assertEquals(1001, ws.closeCode());
            assertEquals("goodbye", ws.closeReason());
            await(recorded.closed);
        });
    }

    @Test
    void messagesQueueWithBackPressureAndAreReadInOrder() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void open(List<String> pathArgs) throws Exception {
                    super.open(pathArgs);
                    for (int i = 0; i < 20; i++) {
                        writeMessage("m" + i);
                    }
                    close();
                }
            });
            WebSocketClientConnection ws = await(WebSocket.connect(url("/ws")));
            List<String> got = new ArrayList<>();
            WebSocketMessage m;
            while ((m = await(ws.readMessage())) != null) {
                got.add(text(m));
            }
            assertEquals(20, got.size());
            assertEquals("m19", got.getLast());
            assertEquals(1000, ws.closeCode());
        });
    }

    @Test
    void listenerReceivesMessagesAndTheClose() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            List<String> events = new ArrayList<>();
            io.squall.concurrent.Future<Void> gotMessage = new io.squall.concurrent.Future<>();
            WebSocketClientConnection ws = await(WebSocket.connect(HttpRequest.get("http://127.0.0.1:" + port + "/ws"),
                    WebSocketOptions.DEFAULTS, new WebSocketListener() {
                        @Override
                        public void onMessage(WebSocketMessage message) {
                            events.add(text(message));
                            gotMessage.trySetResult(null);
                        }

                        @Override
                        public void onClose() {
                            events.add("closed");
                        }
                    }));
            assertThrows(IllegalStateException.class, ws::readMessage);
            await(ws.writeMessage("hi"));
            await(gotMessage);
            ws.close();
            await(ws.closed());
            assertEquals(List.of("hi", "closed"), events);
        });
    }

    @Test
    void handshakeErrors() {
        run(() -> {
            serve(Application.builder()
                    .route("/ws", () -> new RecordingHandler(recorded))
                    .route("/page", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            write("not a websocket");
                        }
                    })
                    .route("/redirect", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            redirect("/ws");
                        }
                    }).build());
            HttpClientError notFound = assertThrows(HttpClientError.class, () -> await(WebSocket.connect(url("/missing"))));
            assertEquals(404, notFound.response().code());
            assertThrows(WebSocketError.class, () -> await(WebSocket.connect(url("/page"))));
            HttpClientError redirect = assertThrows(HttpClientError.class, () -> await(WebSocket.connect(url("/redirect"))));
            assertEquals(302, redirect.response().code());
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            assertThrows(ConnectFailedException.class, () -> await(WebSocket.connect("ws://127.0.0.1:" + closedPort + "/")));
        });
    }

    @Test
    void requestHeadersGoThroughAndResponseHeadersAreVisible() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected void prepare() {
                    setHeader("X-Echo", request().headers().get("X-Test"));
                }
            });
            WebSocketClientConnection ws = await(WebSocket.connect(HttpRequest.builder("http://127.0.0.1:" + port + "/ws")
                    .header("X-Test", "hello").build(), WebSocketOptions.DEFAULTS));
            assertEquals("hello", ws.handshakeResponse().headers().get("X-Echo"));
            ws.close();
            await(ws.closed());
        });
    }

    @Test
    void subprotocolIsNegotiated() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded) {
                @Override
                protected String selectSubprotocol(List<String> offered) {
                    return offered.contains("goodproto") ? "goodproto" : null;
                }
            });
            WebSocketClientConnection ws = await(WebSocket.connect(url("/ws"),
                    WebSocketOptions.builder().subprotocols(List.of("badproto", "goodproto")).build()));
            assertEquals("goodproto", ws.selectedSubprotocol());
            ws.close();
            WebSocketClientConnection none = await(WebSocket.connect(url("/ws")));
            assertNull(none.selectedSubprotocol());
            none.close();
            await(none.closed());
        });
    }

    @Test
    void compressionIsUsedOnlyWhenBothSidesEnableIt() {
        WebSocketOptions deflate = WebSocketOptions.builder().compression().build();
        run(() -> {
            for (boolean server : new boolean[] {false, true}) {
                for (boolean client : new boolean[] {false, true}) {
                    Recorded r = new Recorded();
                    serve(Application.builder().route("/ws", () -> new RecordingHandler(r,
                            server ? deflate : WebSocketOptions.DEFAULTS)).build());
                    WebSocketClientConnection ws = await(WebSocket.connect(url("/ws"), client ? deflate : WebSocketOptions.DEFAULTS));
                    String extensions = ws.handshakeResponse().headers().get("Sec-WebSocket-Extensions");
                    assertEquals(server && client ? "permessage-deflate" : null, extensions, server + "/" + client);
                    String big = "compressible ".repeat(5000);
                    for (int i = 0; i < 3; i++) {
                        await(ws.writeMessage(big + i));
                        assertEquals(big + i, text(await(ws.readMessage())));
                    }
                    ws.close();
                    await(ws.closed());
                    app.close();
                }
            }
            app = null;
        });
    }

    @Test
    void compressedMessageInflatingPastTheLimitCloses1009() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded, WebSocketOptions.builder().compression().maxMessageSize(1024).build()));
            WebSocketClientConnection ws = await(WebSocket.connect(url("/ws"), WebSocketOptions.builder().compression().build()));
            await(ws.writeMessage(new byte[100_000]));     // a few hundred bytes on the wire
            assertNull(await(ws.readMessage()));
            assertEquals(1009, ws.closeCode());
        });
    }

    @Test
    void worksOverTls() {
        TestCertificates.Identity identity = TestCertificates.localhost(); // keytool runs: not on the loop
        run(() -> {
            serve(Application.builder().route("/ws", () -> new RecordingHandler(recorded))
                    .serverOptions(HttpServerOptions.builder().tls(identity.serverContext()).build()).build());
            WebSocketClientConnection ws = await(WebSocket.connect(HttpRequest.builder("https://localhost:" + port + "/ws")
                    .sslContext(identity.clientContext()).build(), WebSocketOptions.DEFAULTS));
            await(ws.writeMessage("secure"));
            assertEquals("secure", text(await(ws.readMessage())));
            ws.close();
            await(ws.closed());
            await(recorded.closed);
        });
    }

    @Test
    void goesThroughAnHttpProxyWithConnect() {
        run(() -> {
            serve(() -> new RecordingHandler(recorded));
            try (ConnectProxy proxy = new ConnectProxy()) {
                WebSocketClientConnection ws = await(WebSocket.connect(HttpRequest.builder("http://127.0.0.1:" + port + "/ws")
                        .proxy(ProxySettings.of("127.0.0.1", proxy.port())).build(), WebSocketOptions.DEFAULTS));
                await(ws.writeMessage("proxied"));
                assertEquals("proxied", text(await(ws.readMessage())));
                ws.close();
                await(ws.closed());
                assertEquals(List.of("CONNECT 127.0.0.1:" + port + " HTTP/1.1"), proxy.requestLines);
            }
        });
    }

    /** A blocking proxy that serves only CONNECT: a platform thread accepting, two virtual threads per tunnel. */
    private static final class ConnectProxy implements AutoCloseable {
        final List<String> requestLines = new CopyOnWriteArrayList<>();
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());

        ConnectProxy() throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        Socket client = server.accept();
                        Thread.ofVirtual().start(() -> tunnel(client));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private void tunnel(Socket client) {
            try (client) {
                InputStream in = client.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                String requestLine = head.substring(0, head.indexOf("\r\n"));
                requestLines.add(requestLine);
                String[] target = requestLine.split(" ")[1].split(":");
                try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
                    client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
                    copy(client, upstream);
                    back.join();
                }
            } catch (IOException | InterruptedException e) {
                // a tunnel ends when either side closes
            }
        }

        private static void copy(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException e) {
                // the other side went away
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    // ------------------------------------------------------------------ a server breaking the protocol

    /** Serves one raw connection: answers the handshake, sends {@code frame}, returns the client's first frame. */
    private io.squall.concurrent.Future<WireSocket.Frame> rawServer(ServerSocket server, byte[] frame) {
        return loop.runInExecutor(null, () -> {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout((int) TEST_TIMEOUT.toMillis());
                InputStream in = socket.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                String key = head.toString().lines().filter(l -> l.startsWith("Sec-WebSocket-Key: "))
                        .findFirst().orElseThrow().substring(19).strip();
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + Handshake.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(frame);
                DataInputStream data = new DataInputStream(in);
                int b0 = data.readUnsignedByte();
                int b1 = data.readUnsignedByte();
                byte[] mask = new byte[4];
                data.readFully(mask);
                byte[] payload = new byte[b1 & 0x7F];
                data.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
                return new WireSocket.Frame(b0 & 0x0F, true, false, (b1 & 0x80) != 0, payload);
            }
        });
    }

    @Test
    void maskedServerFrameGets1002FromTheClient() {
        run(() -> {
            try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
                var clientFrame = rawServer(server, WireSocket.frame(Frames.TEXT, true, "hi".getBytes(), true));
                WebSocketClientConnection ws = await(WebSocket.connect("ws://127.0.0.1:" + server.getLocalPort() + "/",
                        WebSocketOptions.builder().closeTimeout(ms(200)).build()));
                WireSocket.Frame close = await(clientFrame);
                assertEquals(Frames.CLOSE, close.opcode());
                assertTrue(close.masked(), "a client's frames are masked");
                assertEquals(1002, ByteBuffer.wrap(close.payload()).getShort());
                assertNull(await(ws.readMessage()));
            }
        });
    }

    @Test
    void aServerThatStopsAnsweringPingsIsDetectedAndOnCloseFiresOnce() {
        WebSocketOptions pinging = WebSocketOptions.builder()
                .pingInterval(ms(20)).pingTimeout(ms(50)).closeTimeout(ms(100)).build();
        run(() -> {
            try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
                var framesSeen = silentServer(server);
                List<String> events = new CopyOnWriteArrayList<>();
                WebSocketClientConnection ws = await(WebSocket.connect(
                        HttpRequest.get("http://127.0.0.1:" + server.getLocalPort() + "/"), pinging,
                        new WebSocketListener() {
                            @Override
                            public void onMessage(WebSocketMessage message) {
                                events.add("message");
                            }

                            @Override
                            public void onClose() {
                                events.add("closed");
                            }
                        }));
                await(ws.closed()); // the server never answers: the client gives up on it
                List<Integer> opcodes = await(framesSeen);
                assertTrue(opcodes.contains(Frames.PING), "the client pinged: " + opcodes);
                assertEquals(List.of("closed"), events);
                assertNull(ws.closeCode()); // the server sent no close frame
            }
        });
    }

    /**
     * A server that completes the handshake, then reads the client's frames without ever answering one
     * (a peer that went away without a FIN); returns their opcodes once the client drops the connection.
     */
    private io.squall.concurrent.Future<List<Integer>> silentServer(ServerSocket server) {
        return loop.runInExecutor(null, () -> {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout((int) TEST_TIMEOUT.toMillis());
                InputStream in = socket.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                String key = head.toString().lines().filter(l -> l.startsWith("Sec-WebSocket-Key: "))
                        .findFirst().orElseThrow().substring(19).strip();
                socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + Handshake.accept(key) + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                DataInputStream data = new DataInputStream(in);
                List<Integer> opcodes = new ArrayList<>();
                try {
                    int b0;
                    while ((b0 = data.read()) >= 0) {
                        int b1 = data.readUnsignedByte();
                        data.readFully(new byte[4 + (b1 & 0x7F)]); // mask and a control frame's short payload
                        opcodes.add(b0 & 0x0F);
                    }
                } catch (java.net.SocketException reset) {
                    // the client may drop the connection with a reset: it is gone either way
                }
                return opcodes;
            }
        });
    }

    @Test
    void invalidAcceptIsAWebSocketError() {
        run(() -> {
            try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
                var served = loop.runInExecutor(null, () -> {
                    try (Socket socket = server.accept()) {
                        InputStream in = socket.getInputStream();
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) {
                            head.append((char) in.read());
                        }
                        socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                + "Connection: Upgrade\r\nSec-WebSocket-Accept: d3Jvbmc=\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        return in.read(); // the client closes
                    }
                });
                WebSocketError e = assertThrows(WebSocketError.class,
                        () -> await(WebSocket.connect("ws://127.0.0.1:" + server.getLocalPort() + "/")));
                assertTrue(e.getMessage().contains("Sec-WebSocket-Accept"), e.getMessage());
                assertInstanceOf(Integer.class, await(served));
            }
        });
    }
}
