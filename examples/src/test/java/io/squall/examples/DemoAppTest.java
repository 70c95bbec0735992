package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import io.squall.websocket.WebSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The demo app over real sockets, with the JDK HttpClient as the client (and Squall's for the WebSocket). */
class DemoAppTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Future<HttpResponse<String>> send(IOLoop loop, HttpRequest request) {
        return loop.runInExecutor(null, () -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void helloSleepAndEcho() {
        try (IOLoop loop = new IOLoop(); Application app = DemoApp.build()) {
            loop.runSync(() -> {
                int port = app.listen(0, "127.0.0.1");
                URI base = URI.create("http://127.0.0.1:" + port);

                HttpResponse<String> hello = await(send(loop, HttpRequest.newBuilder(base.resolve("/")).build()));
                assertEquals(200, hello.statusCode());
                assertEquals("Hello, world", hello.body());

                // Ten sleeping requests at once take about one second, not ten.
                long start = System.nanoTime();
                List<HttpResponse<String>> slept = await(multi(IntStream.range(0, 10)
                        .mapToObj(i -> send(loop, HttpRequest.newBuilder(base.resolve("/sleep")).build())).toList()));
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(slept.stream().allMatch(r -> r.body().equals("Hello, world")));
                assertTrue(seconds >= 1.0 && seconds < 5.0, "10 concurrent one-second sleeps took " + seconds + " s");

                HttpResponse<String> echo = await(send(loop, HttpRequest.newBuilder(base.resolve("/echo?x=1"))
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("body bytes"))
                        .header("X-First", "1").header("X-Second", "2").build()));
                assertEquals(200, echo.statusCode());
                assertTrue(echo.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
                JsonNode json = new ObjectMapper().readTree(echo.body());
                assertEquals("PATCH", json.get("method").asText());
                assertEquals("/echo?x=1", json.get("uri").asText());
                assertEquals("HTTP/1.1", json.get("version").asText());
                assertEquals("body bytes", new String(Base64.getDecoder().decode(json.get("body_b64").asText()), StandardCharsets.UTF_8));
                List<String> names = new java.util.ArrayList<>();
                json.get("headers").forEach(pair -> names.add(pair.get(0).asText()));
                assertTrue(names.indexOf("X-First") >= 0 && names.indexOf("X-First") < names.indexOf("X-Second"),
                        "headers in arrival order: " + names);

                HttpResponse<String> custom = await(send(loop, HttpRequest.newBuilder(base.resolve("/echo"))
                        .method("PURGE", HttpRequest.BodyPublishers.noBody()).build()));
                assertEquals("PURGE", new ObjectMapper().readTree(custom.body()).get("method").asText());

                WebSocketClientConnection ws = await(WebSocket.connect("ws://127.0.0.1:" + port + "/ws/echo",
                        WebSocketOptions.builder().compression().build()));
                assertEquals("permessage-deflate", ws.handshakeResponse().headers().get("Sec-WebSocket-Extensions"));
                await(ws.writeMessage("echo me"));
                assertEquals(new WebSocketMessage.Text("echo me"), await(ws.readMessage()));
                await(ws.writeMessage(new byte[] {1, 2, 3}));
                assertArrayEquals(new byte[] {1, 2, 3}, ((WebSocketMessage.Binary) await(ws.readMessage())).data());
                ws.close();
                await(ws.closed());
                return null;
            }, Duration.ofSeconds(30));
        }
    }

    @Test
    void headAbsoluteFormAndCompression() {
        try (IOLoop loop = new IOLoop(); Application app = DemoApp.build()) {
            loop.runSync(() -> {
                int port = app.listen(0, "127.0.0.1");
                URI base = URI.create("http://127.0.0.1:" + port);
                HttpResponse<String> head = await(send(loop, HttpRequest.newBuilder(base.resolve("/"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()));
                assertEquals(200, head.statusCode());
                assertEquals("12", head.headers().firstValue("Content-Length").orElseThrow());
                assertEquals("", head.body());

                String absolute = await(loop.runInExecutor(null, () -> {
                    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                        socket.getOutputStream().write(("GET http://127.0.0.1:" + port + "/echo HTTP/1.1\r\n"
                                + "Host: elsewhere\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    }
                }));
                assertTrue(absolute.startsWith("HTTP/1.1 200 OK\r\n"), absolute);

                HttpResponse<byte[]> big = await(loop.runInExecutor(null, () -> CLIENT.send(
                        HttpRequest.newBuilder(base.resolve("/echo")).header("Accept-Encoding", "gzip")
                                .header("X-Padding", "x".repeat(2000)).build(),
                        HttpResponse.BodyHandlers.ofByteArray())));
                assertEquals("gzip", big.headers().firstValue("Content-Encoding").orElseThrow());
                try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(big.body()))) {
                    assertTrue(new ObjectMapper().readTree(in).get("headers").toString().contains("X-Padding"));
                }
                return null;
            }, Duration.ofSeconds(30));
        }
    }
}
