package io.squall.websocket;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with independent stacks, permessage-deflate included: Python's {@code websockets}
 * and Node's {@code ws}, each as a client of Squall's server and as a server for Squall's client.
 */
class InteropTest extends WebSocketTestCase {
    private static final WebSocketOptions DEFLATE = WebSocketOptions.builder().compression().maxMessageSize(1 << 24).build();

    private final Recorded recorded = new Recorded();

    private static String script(String name) {
        try (InputStream in = InteropTest.class.getResourceAsStream("interop/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Python running {@code script}; find the interpreter (and install its module) before the test's coroutine. */
    private static ProcessBuilder python(String python, String script, String... args) {
        List<String> command = new ArrayList<>(List.of(python, "-c", script(script)));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Node running {@code script} with {@code modules} as NODE_PATH. */
    private static ProcessBuilder node(Path modules, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("node", "-e", script(script)));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("NODE_PATH", modules.toString());
        return builder;
    }

    /** Runs a client script to its end (on an executor thread) and parses the JSON line it prints. */
    private JsonNode runClient(ProcessBuilder client) {
        return blocking(() -> {
            Process process = client.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertTrue(process.waitFor(TEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "client still running");
                assertEquals(0, process.exitValue(), output);
                return new ObjectMapper().readTree(output);
            } finally {
                process.destroyForcibly();
            }
        });
    }

    private void checkClientAgainstSquall(IntFunction<ProcessBuilder> client) {
        run(() -> {
            serve(() -> new RecordingHandler(recorded, DEFLATE));
            JsonNode out = runClient(client.apply(port));
            assertEquals("permessage-deflate", out.get("extensions").isArray()
                    ? out.get("extensions").get(0).asText() : out.get("extensions").asText().split(";")[0].strip(), out.toString());
            assertEquals("héllo ☃", out.get("text").asText());
            assertTrue(out.get("binary_ok").asBoolean(), out.toString());
            assertTrue(out.get("big_ok").asBoolean(), out.toString());
            assertTrue(out.get("pong").asBoolean(), out.toString());
            assertEquals(1000, out.get("close_code").asInt());
            await(recorded.closed);
            assertEquals(1000, recorded.handler.closeCode());
            assertEquals("done", recorded.handler.closeReason());
            assertEquals(List.of("open:[]", "text:héllo ☃", "binary:256", "text:" + "squall ".repeat(30000),
                    "ping:p", "close:1000:done"), recorded.events);
        });
    }

    private void checkSquallAgainstServer(ProcessBuilder server) {
        run(() -> {
            Process process = blocking(() -> server.redirectError(ProcessBuilder.Redirect.INHERIT).start());
            try {
                String port = blocking(() -> new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)).readLine());
                WebSocketClientConnection ws = await(WebSocket.connect("ws://127.0.0.1:" + port.strip() + "/", DEFLATE));
                String extensions = ws.handshakeResponse().headers().get("Sec-WebSocket-Extensions");
                assertTrue(extensions != null && extensions.startsWith("permessage-deflate"), extensions);
                await(ws.writeMessage("héllo ☃"));
                assertEquals("héllo ☃", ((WebSocketMessage.Text) await(ws.readMessage())).text());
                byte[] bytes = new byte[256];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) i;
                }
                await(ws.writeMessage(bytes));
                assertArrayEquals(bytes, ((WebSocketMessage.Binary) await(ws.readMessage())).data());
                String big = "squall ".repeat(30000);
                for (int i = 0; i < 3; i++) { // context takeover across messages, both ways
                    await(ws.writeMessage(big + i));
                    assertEquals(big + i, ((WebSocketMessage.Text) await(ws.readMessage())).text());
                }
                ws.close(1000, "done");
                assertNull(await(ws.readMessage()));
                await(ws.closed());
                assertEquals(1000, ws.closeCode());
            } finally {
                process.destroyForcibly();
            }
        });
    }

    @Test
    void pythonClientAgainstSquallServer() {
        String python = ExternalTools.requirePythonModule("websockets", "python3-websockets");
        checkClientAgainstSquall(port -> python(python, "python_client.py", "ws://127.0.0.1:" + port + "/ws"));
    }

    @Test
    void nodeClientAgainstSquallServer() {
        Path modules = ExternalTools.requireNpmPackages("ws@8");
        checkClientAgainstSquall(port -> node(modules, "node_client.js", "ws://127.0.0.1:" + port + "/ws"));
    }

    @Test
    void squallClientAgainstPythonServer() {
        checkSquallAgainstServer(python(ExternalTools.requirePythonModule("websockets", "python3-websockets"),
                "python_server.py"));
    }

    @Test
    void squallClientAgainstNodeServer() {
        checkSquallAgainstServer(node(ExternalTools.requireNpmPackages("ws@8"), "node_server.js"));
    }
}
