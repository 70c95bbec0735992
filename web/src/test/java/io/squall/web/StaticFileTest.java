package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.httpserver.HttpServerOptions;
import io.squall.http.HttpUtil;
import io.squall.ioloop.IOLoop;
import io.squall.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StaticFileHandler} and {@code staticUrl} over real sockets (Tornado's StaticFileTest, and more). */
class StaticFileTest extends WebTestCase {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path base;
    private Path root;
    private final Instant modified = Instant.parse("2024-05-06T07:08:09Z");

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectories(base.resolve("public"));
        Files.writeString(root.resolve("robots.txt"), ALPHABET);
        Files.setLastModifiedTime(root.resolve("robots.txt"), FileTime.from(modified));
        Files.writeString(root.resolve("app.css"), "body { color: red }\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(base.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape.txt"), base.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("alias.css"), root.resolve("app.css"));
    }

    private void serveStatic() {
        serve(Application.builder().staticPath(root)
                .route("/files/(.*)", () -> new StaticFileHandler(root, "index.html"))
                .route("/url", () -> new RequestHandler() {
                    @Override
                    protected void get() {
                        write(staticUrl("app.css") + " " + staticUrl("no such.css"));
                    }
                })
                .build());
    }

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder builder = request(path);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return send(builder.build());
    }

    @Test
    void servesAFileWithValidatorsAndItsContentType() {
        run(() -> {
            serveStatic();
            HttpResponse<String> response = get("/static/robots.txt");
            assertEquals(200, response.statusCode());
            assertEquals(ALPHABET, response.body());
            assertEquals("text/plain; charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(HttpUtil.formatDate(modified), response.headers().firstValue("Last-Modified").orElseThrow());
            assertEquals("bytes", response.headers().firstValue("Accept-Ranges").orElseThrow());
            assertTrue(response.headers().firstValue("Etag").orElseThrow().matches("\"[0-9a-f]{32}\""));
            assertFalse(response.headers().firstValue("Cache-Control").isPresent());
            assertEquals("text/css; charset=UTF-8", get("/static/app.css").headers().firstValue("Content-Type").orElseThrow());
        });
    }

    @Test
    void conditionalRequestsGet304() {
        run(() -> {
            serveStatic();
            String etag = get("/static/robots.txt").headers().firstValue("Etag").orElseThrow();
            HttpResponse<String> byTag = get("/static/robots.txt", "If-None-Match", etag);
            assertEquals(304, byTag.statusCode());
            assertEquals("", byTag.body());
            assertEquals(etag, byTag.headers().firstValue("Etag").orElseThrow());
            assertEquals(304, get("/static/robots.txt", "If-None-Match", "\"other\", W/" + etag).statusCode());
            String date = HttpUtil.formatDate(modified);
            assertEquals(304, get("/static/robots.txt", "If-Modified-Since", date).statusCode());
            assertEquals(304, get("/static/robots.txt", "If-Modified-Since", HttpUtil.formatDate(modified.plusSeconds(60))).statusCode());
            assertEquals(200, get("/static/robots.txt", "If-Modified-Since", HttpUtil.formatDate(modified.minusSeconds(1))).statusCode());
            assertEquals(200, get("/static/robots.txt", "If-Modified-Since", "not a date").statusCode());
            // If-None-Match decides when both are present
            assertEquals(200, get("/static/robots.txt", "If-None-Match", "\"other\"", "If-Modified-Since", date).statusCode());
        });
    }

    @Test
    void rangesGet206OrAre416OrIgnored() {
        run(() -> {
            serveStatic();
            HttpResponse<String> first = get("/static/robots.txt", "Range", "bytes=0-9");
            assertEquals(206, first.statusCode());
            assertEquals("abcdefghij", first.body());
            assertEquals("bytes 0-9/26", first.headers().firstValue("Content-Range").orElseThrow());
            assertEquals("10", first.headers().firstValue("Content-Length").orElseThrow());
            assertEquals("wxyz", get("/static/robots.txt", "Range", "bytes=-4").body());
            assertEquals("bytes 22-25/26", get("/static/robots.txt", "Range", "bytes=-4").headers().firstValue("Content-Range").orElseThrow());
            assertEquals("yz", get("/static/robots.txt", "Range", "bytes=24-100").body());
            HttpResponse<String> open = get("/static/robots.txt", "Range", "bytes=0-");
            assertEquals(206, open.statusCode());
            assertEquals(ALPHABET, open.body());
            assertEquals(ALPHABET, get("/static/robots.txt", "Range", "bytes=-100").body());
            for (String unsatisfiable : new String[] {"bytes=-0", "bytes=26-", "bytes=10-3", "bytes=100-200"}) {
                HttpResponse<String> response = get("/static/robots.txt", "Range", unsatisfiable);
                assertEquals(416, response.statusCode(), unsatisfiable);
                assertEquals("bytes */26", response.headers().firstValue("Content-Range").orElseThrow(), unsatisfiable);
            }
            for (String ignored : new String[] {"bytes=26", "bytes=a-b", "items=0-1", "bytes=0-1,3-4", "bytes=-"}) {
                HttpResponse<String> response = get("/static/robots.txt", "Range", ignored);
                assertEquals(200, response.statusCode(), ignored);
                assertEquals(ALPHABET, response.body(), ignored);
            }
            String etag = first.headers().firstValue("Etag").orElseThrow();
            assertEquals(206, get("/static/robots.txt", "Range", "bytes=0-1", "If-Range", etag).statusCode());
            assertEquals(200, get("/static/robots.txt", "Range", "bytes=0-1", "If-Range", "\"stale\"").statusCode());
            assertEquals(206, get("/static/robots.txt", "Range", "bytes=0-1", "If-Range", HttpUtil.formatDate(modified)).statusCode());
        });
    }

    @Test
    void headGetsTheHeadersOnly() {
        run(() -> {
            serveStatic();
            String whole = rawUntil("HEAD /static/robots.txt HTTP/1.1\nHost: x\nConnection: close", null);
            assertTrue(whole.startsWith("HTTP/1.1 200 OK\r\n"), whole);
            assertTrue(whole.contains("\r\nContent-Length: 26\r\n"), whole);
            assertTrue(whole.endsWith("\r\n\r\n"), whole);
            String ranged = rawUntil("HEAD /static/robots.txt HTTP/1.1\nHost: x\nRange: bytes=2-5\nConnection: close", null);
            assertTrue(ranged.startsWith("HTTP/1.1 206 Partial Content\r\n"), ranged);
            assertTrue(ranged.contains("\r\nContent-Length: 4\r\n"), ranged);
            assertTrue(ranged.endsWith("\r\n\r\n"), ranged);
        });
    }

    @Test
    void traversalAndLinksOutOfTheRootAreRefused() {
        run(() -> {
            serveStatic();
            for (String path : new String[] {"/static/../secret.txt", "/static/..%2fsecret.txt", "/static/%2e%2e/secret.txt",
                    "/static/%2E%2E%2Fsecret.txt", "/static/docs/../../secret.txt", "/static//etc/passwd", "/static/escape.txt",
                    "/static/empty", "/static/docs/"}) {
                String answer = rawUntil("GET " + path + " HTTP/1.1\nHost: x\nConnection: close", null);
                assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), path + ": " + answer);
                assertFalse(answer.contains("secret"), path + ": " + answer);
            }
            for (String path : new String[] {"/static/missing.txt", "/static/%252e%252e/secret.txt", "/static/a%00b"}) {
                String answer = rawUntil("GET " + path + " HTTP/1.1\nHost: x\nConnection: close", null);
                assertTrue(answer.startsWith("HTTP/1.1 404 Not Found\r\n"), path + ": " + answer);
            }
            assertEquals("body { color: red }\n", get("/static/alias.css").body()); // a link inside the root
        });
    }

    @Test
    void directoriesServeTheirDefaultFile() {
        run(() -> {
            serveStatic();
            assertEquals("<h1>docs</h1>", get("/files/docs/").body());
            HttpResponse<String> redirect = get("/files/docs?x=1");
            assertEquals(301, redirect.statusCode());
            assertEquals("/files/docs/?x=1", redirect.headers().firstValue("Location").orElseThrow());
            assertEquals(404, get("/files/empty/").statusCode());
        });
    }

    @Test
    void versionedUrlsChangeWithTheContentAndAreCachedForAYear() throws Exception {
        run(() -> {
            serveStatic();
            String[] urls = get("/url").body().split(" ");
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest("body { color: red }\n".getBytes(StandardCharsets.UTF_8)), 0, 16);
            assertEquals("/static/app.css?v=" + hash, urls[0]);
            assertEquals("/static/no%20such.css", urls[1]);
            HttpResponse<String> versioned = get(urls[0]);
            assertEquals("max-age=31536000, immutable", versioned.headers().firstValue("Cache-Control").orElseThrow());
            Files.writeString(root.resolve("app.css"), "body { color: blue }\n");
            Files.setLastModifiedTime(root.resolve("app.css"), FileTime.from(Instant.now().plusSeconds(5)));
            String changed = get("/url").body().split(" ")[0];
            assertFalse(changed.equals(urls[0]), changed);
            assertEquals("body { color: blue }\n", get(changed).body());
        });
    }

    @Test
    void aFileRegionWithoutContentLengthIsSentChunked() {
        run(() -> {
            serve(Application.builder().route("/region", () -> new RequestHandler() {
                @Override
                protected void get() throws Exception {
                    try (FileChannel file = FileChannel.open(root.resolve("robots.txt"))) {
                        write("[");
                        flush();
                        await(request().connection().writeFile(file, 3, 5));
                        write("]");
                    }
                }
            }).build());
            String answer = rawUntil("GET /region HTTP/1.1\nHost: x", "0\r\n\r\n");
            assertTrue(answer.contains("\r\nTransfer-Encoding: chunked\r\n"), answer);
            assertTrue(answer.endsWith("\r\n\r\n1\r\n[\r\n5\r\ndefgh\r\n1\r\n]\r\n0\r\n\r\n"), answer);
        });
    }

    @Test
    void curlFetchesRangesOfALargeFile() throws Exception {
        byte[] big = new byte[3_000_000];
        new Random(3).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Path out = base.resolve("range.out");
        run(() -> {
            serveStatic();
            String code = ExternalClients.curl("--range", "1000-1999999", "--output", out.toString(),
                    "--write-out", "%{http_code} %{content_type}", "http://127.0.0.1:" + port + "/static/big.bin");
            assertEquals("206 application/octet-stream", code);
            byte[] expected = java.util.Arrays.copyOfRange(big, 1000, 2_000_000);
            assertArrayEquals(expected, await(IOLoop.current().runInExecutor(null, () -> Files.readAllBytes(out))));
        });
    }

    @Test
    void largeFilesGoOutWholeOverTcpAndTls() throws Exception {
        byte[] big = new byte[12_000_000];
        new Random(4).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        TestCertificates.Identity identity = TestCertificates.localhost();
        HttpClient tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(identity.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        run(() -> {
            serveStatic();
            int tlsPort = app.listen(0, "127.0.0.1", HttpServerOptions.builder().tls(identity.serverContext()).build());
            HttpResponse<byte[]> plain = server.fetch(request("/static/big.bin").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(big, plain.body());
            HttpResponse<byte[]> tls = await(IOLoop.current().runInExecutor(null, () -> tlsClient.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + tlsPort + "/static/big.bin"))
                            .timeout(TEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray())));
            assertEquals(200, tls.statusCode());
            assertArrayEquals(big, tls.body());
            assertNull(tls.headers().firstValue("Transfer-Encoding").orElse(null));
        });
    }
}
