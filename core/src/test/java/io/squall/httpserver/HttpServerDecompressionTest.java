package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.http.HttpHeaders;
import io.squall.testing.TestBytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link HttpServerOptions#decompressRequest()}: gzip request bodies, bounded decompression. */
class HttpServerDecompressionTest extends HttpServerTestCase {
    private static final HttpServerOptions DECOMPRESS = HttpServerOptions.builder().decompressRequest(true)
            .maxBodySize(64 * 1024).build();

    private static String post(byte[] body, String... headers) {
        return request("POST", "/", headers) + "Content-Length: " + body.length + "\r\n\r\n"
                + new String(body, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aGzipBodyReachesTheDelegateDecompressed() {
        run(() -> {
            startServer(DECOMPRESS, TestApp.echo());
            WireClient.Response r = exchange(post(TestBytes.gzip("hello, gzip".getBytes(StandardCharsets.UTF_8)), "Content-Encoding: gzip"));
            assertEquals(200, r.status());
            String echoed = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(echoed.contains("\"bodyLength\":11") && echoed.contains("hello, gzip"), echoed);
            HttpHeaders seen = app.exchanges().getFirst().headers();
            assertEquals(null, seen.get("Content-Encoding"));
            assertEquals("gzip", seen.get("X-Consumed-Content-Encoding"));
        });
    }

    @Test
    void aBodyThatInflatesPastTheLimitGets413() {
        run(() -> {
            startServer(DECOMPRESS, TestApp.echo());
            byte[] bomb = TestBytes.gzip(new byte[1024 * 1024]); // 1 MiB of zeros: about 1 KiB compressed
            assertTrue(bomb.length < 64 * 1024);
            WireClient.Response r = exchange(post(bomb, "Content-Encoding: gzip"));
            assertEquals(413, r.status());
            assertEquals("close", r.header("Connection"));
        });
    }

    @Test
    void aCorruptGzipBodyGets400() {
        run(() -> {
            startServer(DECOMPRESS, TestApp.echo());
            WireClient.Response r = exchange(post("not gzip at all".getBytes(StandardCharsets.ISO_8859_1), "Content-Encoding: gzip"));
            assertEquals(400, r.status());
        });
    }

    @Test
    void withoutTheOptionTheBodyArrivesAsSent() {
        run(() -> {
            startServer(TestApp.echo());
            byte[] body = TestBytes.gzip("x".getBytes(StandardCharsets.UTF_8));
            WireClient.Response r = exchange(post(body, "Content-Encoding: gzip"));
            assertEquals(200, r.status());
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"bodyLength\":" + body.length));
            assertEquals("gzip", app.exchanges().getFirst().headers().get("Content-Encoding"));
        });
    }
}
