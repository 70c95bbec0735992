package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.ioloop.IOLoop;
import io.squall.web.multipart.MultipartBodies;
import io.squall.web.multipart.MultipartBodies.Part;
import io.squall.web.multipart.MultipartOptions;
import io.squall.web.multipart.UploadedFile;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** multipart/form-data uploads from curl, the JDK's HttpClient and Python's requests, over real sockets. */
class UploadTest extends WebTestCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path uploads;

    /** The temporary files the handler saw, to check that they are deleted once the request ended. */
    private final List<Path> spooled = new CopyOnWriteArrayList<>();

    /** Answers with the fields "title" and "k" and, for each file, its name, type, size and SHA-256. */
    private final class FormHandler extends RequestHandler {
        @Override
        protected void post() throws Exception {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("title", getBodyArguments("title"));
            answer.put("k", getBodyArguments("k"));
            List<Map<String, Object>> files = new ArrayList<>();
            for (List<UploadedFile> perField : files().values()) {
                for (UploadedFile file : perField) {
                    if (!file.inMemory()) {
                        spooled.add(file.path());
                    }
                    byte[] bytes = await(IOLoop.current().runInExecutor(null, file::bytes));
                    files.add(Map.of("field", file.fieldName(), "filename", file.filename(),
                            "type", file.contentType(), "size", file.size(), "inMemory", file.inMemory(),
                            "sha256", sha256(bytes)));
                }
            }
            answer.put("files", files);
            write(answer);
        }
    }

    /** Serves {@link FormHandler} at /upload with {@code options}, temporary files in the test's directory. */
    private void serveForms(MultipartOptions.Builder options) {
        serve(Application.builder().route("/upload", FormHandler::new)
                .multipartOptions(options.tempDirectory(uploads).build()).build());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Waits (on the loop) until the temporary files are gone: they are deleted on the executor after the request. */
    private void assertSpooledFilesDeleted() {
        assertFalse(spooled.isEmpty(), "no file went to disk");
        long deadline = System.nanoTime() + TEST_TIMEOUT.toNanos() / 2;
        while (spooled.stream().anyMatch(Files::exists) && System.nanoTime() < deadline) {
            await(sleep(Duration.ofMillis(5)));
        }
        for (Path path : spooled) {
            assertFalse(Files.exists(path), path + " was not deleted");
        }
    }

    @Test
    void curlUploadsFieldsAndFilesAndLargeOnesGoToDiskAndAreDeletedAfterwards() throws Exception {
        byte[] big = randomBytes(300_000, 1);
        Path bigFile = uploads.resolve("big.bin");
        Files.write(bigFile, big);
        Path small = uploads.resolve("small.txt");
        Files.writeString(small, "hello\r\n--not a boundary\r\n");
        run(() -> {
            serveForms(MultipartOptions.builder());
            String out = ExternalClients.curl("-F", "title=Zoë", "-F", "k=1", "-F", "k=2",
                    "-F", "small=@" + small + ";filename=naïve €.txt;type=text/plain",
                    "-F", "big=@" + bigFile, "http://127.0.0.1:" + port + "/upload");
            JsonNode json = JSON.readTree(out);
            assertEquals("[\"Zoë\"]", json.get("title").toString());
            assertEquals("[\"1\",\"2\"]", json.get("k").toString());
            JsonNode smallFile = json.get("files").get(0);
            assertEquals("naïve €.txt", smallFile.get("filename").asText());
            assertEquals("text/plain", smallFile.get("type").asText());
            assertEquals(25, smallFile.get("size").asLong());
            assertTrue(smallFile.get("inMemory").asBoolean());
            JsonNode bigNode = json.get("files").get(1);
            assertEquals("big.bin", bigNode.get("filename").asText());
            assertEquals(300_000, bigNode.get("size").asLong());
            assertFalse(bigNode.get("inMemory").asBoolean());
            assertEquals(sha256(big), bigNode.get("sha256").asText());
            assertSpooledFilesDeleted();
        });
    }

    @Test
    void theJdkClientPostsAHandWrittenBodyAndGetsItBack() throws Exception {
        byte[] data = randomBytes(5000, 2);
        byte[] body = MultipartBodies.write("squall-boundary", List.of(
                new Part("title", null, null, "Grüße".getBytes(StandardCharsets.UTF_8)),
                new Part("f", "données.bin", "application/x-test", data)));
        run(() -> {
            serveForms(MultipartOptions.builder().fileThreshold(1000));
            HttpResponse<String> response = send(request("/upload")
                    .header("Content-Type", "multipart/form-data; boundary=squall-boundary")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode json = JSON.readTree(response.body());
            assertEquals("[\"Grüße\"]", json.get("title").toString());
            JsonNode file = json.get("files").get(0);
            assertEquals("données.bin", file.get("filename").asText());
            assertEquals("application/x-test", file.get("type").asText());
            assertEquals(sha256(data), file.get("sha256").asText());
            assertFalse(file.get("inMemory").asBoolean());
            assertSpooledFilesDeleted();
        });
    }

    @Test
    void pythonRequestsUploadsWithUtf8FileNames() throws Exception {
        run(() -> {
            serveForms(MultipartOptions.builder());
            String out = ExternalClients.pythonRequests("""
                    import sys, requests
                    r = requests.post(sys.argv[1], data={'title': 'ça va'},
                                      files={'doc': ('résumé 中文.txt', b'x' * 70000, 'text/plain')})
                    print(r.status_code)
                    print(r.text)
                    """, "http://127.0.0.1:" + port + "/upload");
            String[] lines = out.split("\n", 2);
            assertEquals("200", lines[0].strip(), out);
            JsonNode json = JSON.readTree(lines[1]);
            assertEquals("[\"ça va\"]", json.get("title").toString());
            JsonNode file = json.get("files").get(0);
            assertEquals("résumé 中文.txt", file.get("filename").asText());
            assertEquals(70000, file.get("size").asLong());
            assertEquals(sha256("x".repeat(70000).getBytes(StandardCharsets.US_ASCII)), file.get("sha256").asText());
        });
    }

    @Test
    void aMalformedBodyIsOne400AndOneLogLineAndTheConnectionGoesOn() {
        run(() -> {
            serveForms(MultipartOptions.builder());
            StringBuilder parts = new StringBuilder();
            for (int i = 0; i < 1000; i++) { // a thousand broken parts: still one error, one line
                parts.append("--b\r\nno colon in this header line\r\n\r\nx\r\n");
            }
            String body = parts + "--b--\r\n";
            String requests = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body
                    + "GET /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            String answers = await(IOLoop.current().runInExecutor(null, () -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout((int) TEST_TIMEOUT.toMillis());
                    socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
                    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                }
            }));
            assertTrue(answers.startsWith("HTTP/1.1 400 Bad Request\r\n"), answers);
            assertTrue(answers.contains("HTTP/1.1 405 Method Not Allowed\r\n"), "the connection went on: " + answers);
            long lines = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().contains("Invalid multipart/form-data")).count();
            assertEquals(1, lines, "one line, the access log's, says why: " + logs.events());
        });
    }

    @Test
    void moreThanTheAllowedPartsIs413() {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            parts.add(new Part("p" + i, null, null, new byte[] {'v'}));
        }
        byte[] body = MultipartBodies.write("b", parts);
        run(() -> {
            serveForms(MultipartOptions.builder());
            HttpResponse<String> response = send(request("/upload").header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
            assertEquals(413, response.statusCode());
        });
    }

    @Test
    void aBadBoundaryIs400() {
        run(() -> {
            serveForms(MultipartOptions.builder());
            HttpResponse<String> response = send(request("/upload").header("Content-Type", "multipart/form-data")
                    .POST(HttpRequest.BodyPublishers.ofString("--x--")).build());
            assertEquals(400, response.statusCode());
        });
    }
}
