package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo's /upload form and its versioned static style sheet, over real sockets with the JDK HttpClient. */
class UploadDemoTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> send(IOLoop loop, HttpRequest request) {
        return await(loop.runInExecutor(null, () -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString())));
    }

    @Test
    void theFormLinksAVersionedStyleSheetAndTheAnswerListsTheFiles() {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello <you>\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"été.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nsmall\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(big);
        body.writeBytes("\r\n--XyZ--\r\n".getBytes(StandardCharsets.US_ASCII));
        try (IOLoop loop = new IOLoop(); Application app = DemoApp.build()) {
            loop.runSync(() -> {
                URI base = URI.create("http://127.0.0.1:" + app.listen(0, "127.0.0.1"));
                HttpResponse<String> form = send(loop, HttpRequest.newBuilder(base.resolve("/upload")).build());
                assertEquals(200, form.statusCode());
                Matcher css = Pattern.compile("href=\"(/static/demo\\.css\\?v=[0-9a-f]{32})\"").matcher(form.body());
                assertTrue(css.find(), form.body());
                HttpResponse<String> sheet = send(loop, HttpRequest.newBuilder(base.resolve(css.group(1))).build());
                assertEquals(200, sheet.statusCode());
                assertEquals("text/css; charset=UTF-8", sheet.headers().firstValue("Content-Type").orElseThrow());
                assertEquals("max-age=31536000, immutable", sheet.headers().firstValue("Cache-Control").orElseThrow());

                HttpResponse<String> answer = send(loop, HttpRequest.newBuilder(base.resolve("/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=XyZ")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
                assertEquals(200, answer.statusCode(), answer.body());
                assertTrue(answer.body().contains("Note: hello &lt;you&gt;"), answer.body());
                assertTrue(answer.body().contains("<tr><td>été.txt</td><td>5</td><td class=\"sha\">" + sha256("small".getBytes(StandardCharsets.UTF_8))), answer.body());
                assertTrue(answer.body().contains("<tr><td>big.bin</td><td>200000</td><td class=\"sha\">" + sha256(big)), answer.body());
                return null;
            }, Duration.ofSeconds(20));
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
