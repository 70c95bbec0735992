package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.ExternalTools;
import io.squall.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real clients against the server: the JDK's {@link HttpClient} (HTTP/1.1, its default version that
 * offers an h2c upgrade, and HTTPS) and {@code curl}. Blocking calls run on executor threads while the
 * loop serves.
 */
class HttpServerClientsTest extends HttpServerTestCase {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void jdkClientOverHttp11() {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CLIENT_TIMEOUT).build()) {
            run(() -> {
                startServer(TestApp.echo());
                assertGetPostAndHead(client, "http");
                assertTrue(app.exchanges().stream().noneMatch(e -> e.headers().contains("Upgrade")));
            });
        }
    }

    @Test
    void jdkClientDefaultVersionOffersH2cWhichIsIgnored() {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build()) {
            run(() -> {
                startServer(TestApp.echo());
                assertEquals(HttpClient.Version.HTTP_2, client.version());
                assertGetPostAndHead(client, "http");
                assertTrue(app.exchanges().stream().anyMatch(e -> "h2c".equals(e.headers().get("Upgrade"))),
                        "the client offered h2c (so the test shows it being ignored)");
            });
        }
    }

    @Test
    void jdkClientOverHttps() {
        TestCertificates.Identity identity = TestCertificates.localhost();
        try (HttpClient client = HttpClient.newBuilder().sslContext(identity.clientContext())
                .connectTimeout(CLIENT_TIMEOUT).build()) {
            run(() -> {
                startServer(HttpServerOptions.builder().tls(identity.serverContext()).build(), TestApp.echo());
                assertGetPostAndHead(client, "https");
                assertTrue(app.exchanges().stream().allMatch(e -> e.protocol().equals("https")));
                assertTrue(app.exchanges().stream().allMatch(e -> e.connection().isSecure()));
            });
        }
    }

    @Test
    void plainHttpToTheTlsPortIsClosedQuietly() {
        TestCertificates.Identity identity = TestCertificates.localhost();
        try (HttpClient client = HttpClient.newBuilder().sslContext(identity.clientContext()).build()) {
            run(() -> {
                startServer(HttpServerOptions.builder().tls(identity.serverContext()).build(), TestApp.echo());
                String answer = sendAndReadUntilClose(get("/"));
                assertFalse(answer.startsWith("HTTP/"), answer);
                assertEquals(0, app.exchanges().size());
                URI after = URI.create("https://127.0.0.1:" + port + "/after");
                assertEquals(200, send(client, HttpRequest.newBuilder(after)).statusCode());
            });
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void jdkClientSendingTooLargeABodyGetsThe413(boolean tls) {
        TestCertificates.Identity identity = TestCertificates.localhost();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(identity.clientContext()).connectTimeout(CLIENT_TIMEOUT).build()) {
            run(() -> {
                HttpServerOptions.Builder options = HttpServerOptions.builder().maxBodySize(64 * 1024);
                startServer((tls ? options.tls(identity.serverContext()) : options).build(), TestApp.echo());
                // The client writes its whole body before it reads: it gets the answer only if the server,
                // having answered, reads on instead of resetting the connection under it.
                URI target = URI.create((tls ? "https" : "http") + "://127.0.0.1:" + port + "/upload");
                byte[] body = new byte[8 << 20];
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> response = send(client, HttpRequest.newBuilder(target)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
                    assertEquals(413, response.statusCode(), "attempt " + i);
                }
            });
        }
    }

    private void assertGetPostAndHead(HttpClient client, String scheme) {
        URI base = URI.create(scheme + "://127.0.0.1:" + port);
        HttpResponse<String> get = send(client, HttpRequest.newBuilder(base.resolve("/get?x=1")).GET());
        assertEquals(200, get.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, get.version());
        assertTrue(get.body().contains("\"method\":\"GET\",\"target\":\"/get?x=1\""), get.body());
        assertTrue(get.body().contains("\"protocol\":\"" + scheme + "\""), get.body());

        String payload = "é".repeat(50_000); // 100 kB of UTF-8, several body pieces
        HttpResponse<String> post = send(client, HttpRequest.newBuilder(base.resolve("/post"))
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)));
        assertEquals(200, post.statusCode());
        assertTrue(post.body().contains("\"bodyLength\":100000"), post.body().substring(0, 200));
        assertEquals(payload, new String(app.exchanges().getLast().body(), StandardCharsets.UTF_8));

        HttpResponse<String> head = send(client, HttpRequest.newBuilder(base.resolve("/head"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertTrue(head.headers().firstValueAsLong("Content-Length").orElseThrow() > 0);

        HttpResponse<String> again = send(client, HttpRequest.newBuilder(base.resolve("/again")).GET());
        assertEquals(200, again.statusCode());
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        return io(() -> client.send(request.timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()));
    }

    // ------------------------------------------------------------------ curl

    @Test
    void curlGet() {
        run(() -> {
            startServer(TestApp.echo());
            String out = curl("http://127.0.0.1:" + port + "/curl?q=1");
            assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
            assertTrue(out.contains("\"method\":\"GET\",\"target\":\"/curl?q=1\",\"version\":\"HTTP/1.1\""), out);
        });
    }

    @Test
    void curlChunkedPost() {
        run(() -> {
            startServer(TestApp.echo());
            String out = curl("-H", "Transfer-Encoding: chunked", "--data-binary", "hello chunked world",
                    "http://127.0.0.1:" + port + "/upload");
            assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
            assertEquals("chunked", app.exchange(0).headers().get("Transfer-Encoding"));
            assertTrue(out.contains("\"method\":\"POST\""), out);
            assertTrue(out.contains("\"body\":\"hello chunked world\""), out);
        });
    }

    @Test
    void curlHttp10() {
        run(() -> {
            startServer(TestApp.echo());
            String out = curl("--http1.0", "http://127.0.0.1:" + port + "/old");
            assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
            assertTrue(out.contains("\"version\":\"HTTP/1.0\""), out);
            app.awaitConnectionsClosed(1);
        });
    }

    /** Runs {@code curl -sS -i args...} and returns its output (status line, headers and body). */
    private static String curl(String... args) {
        List<String> command = new ArrayList<>(List.of(ExternalTools.requireCommand("curl", "curl"), "-sS", "-i", "--max-time", "10"));
        command.addAll(List.of(args));
        return io(() -> {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), "curl did not exit");
            assertEquals(0, process.exitValue(), out);
            return out;
        });
    }
}
