package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The compressResponse setting: gzip for compressible bodies of 1 KiB or more and for streamed ones. */
class CompressionTest extends WebTestCase {
    static final String TEXT = "All work and no play makes Jack a dull boy. ".repeat(100); // 4400 bytes

    /** {@code /?type=T&size=N&status=S}: N bytes of TEXT (all by default) as type T with status S. */
    static final class TextHandler extends RequestHandler {
        @Override
        protected void get() {
            setStatus(argument("status", int.class, 200));
            setHeader("Content-Type", getArgument("type", "text/plain; charset=UTF-8"));
            write(TEXT.substring(0, argument("size", int.class, TEXT.length())));
        }
    }

    /** Flushes the first half, waits for the test to have decoded it, then sends the second half. */
    static final class StreamingHandler extends RequestHandler {
        static Future<Void> firstHalfRead;

        @Override
        protected void get() {
            write(TEXT.substring(0, 2000));
            await(flush());
            await(firstHalfRead);
            write(TEXT.substring(2000));
        }
    }

    private void serveCompressed() {
        serve(Application.builder()
                .compressResponse(true)
                .route("/", TextHandler::new)
                .route("/stream", StreamingHandler::new)
                .build());
    }

    private HttpResponse<byte[]> get(String path, String acceptEncoding) {
        var builder = request(path);
        if (acceptEncoding != null) {
            builder.header("Accept-Encoding", acceptEncoding);
        }
        return server.fetch(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    private static String gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void compressibleBodiesOfAtLeast1KiBAreGzipped() {
        run(() -> {
            serveCompressed();
            var gzipped = get("/", "gzip, deflate");
            assertEquals("gzip", header(gzipped, "Content-Encoding").orElseThrow());
            assertEquals("Accept-Encoding", header(gzipped, "Vary").orElseThrow());
            assertEquals(Integer.toString(gzipped.body().length), header(gzipped, "Content-Length").orElseThrow());
            assertTrue(gzipped.body().length < TEXT.length() / 4, "compressed to " + gzipped.body().length);
            assertEquals(TEXT, gunzip(gzipped.body()));
            assertTrue(header(gzipped, "Etag").orElseThrow().startsWith("W/\""), "a weak ETag for the coded body");
            for (String type : new String[] {"application/json", "application/javascript", "image/svg+xml",
                    "application/problem+json", "text/html; charset=UTF-8"}) {
                var typed = get("/?type=" + type.replace(" ", "%20").replace("+", "%2B"), "gzip");
                assertEquals("gzip", header(typed, "Content-Encoding").orElse("none"), type);
            }
            var exactly1KiB = get("/?size=1024", "gzip");
            assertEquals("gzip", header(exactly1KiB, "Content-Encoding").orElse("none"));
            assertEquals(TEXT.substring(0, 1024), gunzip(exactly1KiB.body()));
        });
    }

    @Test
    void otherResponsesAreNotCompressedButVaryOnAcceptEncoding() {
        run(() -> {
            serveCompressed();
            for (String path : new String[] {"/?size=1023", "/?type=image/png", "/?type=application/octet-stream",
                    "/?status=206"}) {
                var plain = get(path, "gzip");
                assertEquals(Optional.empty(), header(plain, "Content-Encoding"), path);
                assertEquals("Accept-Encoding", header(plain, "Vary").orElseThrow(), path);
            }
            for (String refusal : new String[] {"gzip;q=0", "identity", "deflate, gzip; q=0.000", "br"}) {
                var plain = get("/", refusal);
                assertEquals(Optional.empty(), header(plain, "Content-Encoding"), refusal);
                assertEquals(TEXT, new String(plain.body(), StandardCharsets.UTF_8));
            }
            assertEquals(Optional.empty(), header(get("/", null), "Content-Encoding"));
            assertEquals("gzip", header(get("/", "GZIP;q=0.5, identity"), "Content-Encoding").orElseThrow());
            assertEquals("gzip", header(get("/", "*"), "Content-Encoding").orElseThrow());
            var noContent = get("/?status=204&size=0", "gzip");
            assertEquals(204, noContent.statusCode());
            assertEquals(Optional.empty(), header(noContent, "Content-Encoding"));
            String etag = header(get("/", null), "Etag").orElseThrow();
            var notModified = server.fetch(request("/")
                    .header("Accept-Encoding", "gzip").header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(304, notModified.statusCode());
            assertEquals(Optional.empty(), header(notModified, "Content-Encoding"));
            String head = raw("HEAD / HTTP/1.1\nHost: h\nAccept-Encoding: gzip\nConnection: close");
            assertTrue(head.contains("\r\nContent-Length: " + TEXT.length() + "\r\n"), head);
            assertTrue(!head.contains("Content-Encoding"), head);
            assertTrue(head.endsWith("\r\n\r\n"), head);
        });
    }

    @Test
    void aStreamedResponseIsGzippedPieceByPiece() {
        run(() -> {
            serveCompressed();
            StreamingHandler.firstHalfRead = new Future<>();
            String body = await(loop.runInExecutor(null, () -> {
                HttpResponse<InputStream> response = server.client().send(request("/stream").header("Accept-Encoding", "gzip").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals("gzip", header(response, "Content-Encoding").orElseThrow());
                assertEquals(Optional.empty(), header(response, "Content-Length"));
                try (InputStream in = new GZIPInputStream(response.body())) {
                    byte[] first = in.readNBytes(2000); // decodable before the handler sends the rest
                    assertArrayEquals(TEXT.substring(0, 2000).getBytes(StandardCharsets.UTF_8), first);
                    loop.addCallback(() -> StreamingHandler.firstHalfRead.setResult(null));
                    return new String(first, StandardCharsets.UTF_8) + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }));
            assertEquals(TEXT, body);
        });
    }

    @Test
    void curlCompressedDecodesIt() {
        run(() -> {
            serveCompressed();
            String url = "http://127.0.0.1:" + port + "/";
            assertEquals(TEXT, curlOutput("--compressed", url));
            String sizes = curlOutput("--compressed", "--output", "/dev/null", "--write-out",
                    "%{size_download} %{content_type}", url);
            assertTrue(Integer.parseInt(sizes.split(" ")[0]) < TEXT.length() / 4, sizes);
            StreamingHandler.firstHalfRead = Future.completed(null);
            assertEquals(TEXT, curlOutput("--compressed", url + "stream"));
        });
    }

    @Test
    void pythonRequestsDecodesItAndHeadKeepsTheLength() {
        String python = requirePythonRequests();
        run(() -> {
            serveCompressed();
            String output = runPython(python, """
                    import sys, requests
                    r = requests.get(sys.argv[1], timeout=10)
                    h = requests.head(sys.argv[1], timeout=10)
                    print(r.headers["Content-Encoding"], len(r.text), h.status_code, h.headers["Content-Length"], len(h.content))
                    """, "http://127.0.0.1:" + port + "/");
            assertEquals("gzip " + TEXT.length() + " 200 " + TEXT.length() + " 0\n", output);
        });
    }
}
