package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.TestBytes;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Response decompression (simple_httpclient_test item 19, security item 11): gzip and both flavours of
 * deflate undone with the headers adjusted, raw bytes when decompression is off, invalid data failing fast,
 * and the body limit applied to the decompressed size (a gzip bomb stops at the limit).
 */
class DecompressionTest extends HttpClientTestCase {
    private static final byte[] TEXT = utf8("asdfqwer");

    /** A raw server sending {@code body} with {@code Content-Encoding: encoding}, chunked or with a length. */
    private String encoded(String encoding, byte[] body, boolean chunked) {
        return answering(chunked
                ? response("Content-Encoding: " + encoding + "\r\nTransfer-Encoding: chunked\r\n", chunked(body, 7))
                : response("Content-Encoding: " + encoding + "\r\nContent-Length: " + body.length + "\r\n", body));
    }

    private static byte[] deflate(byte[] data, boolean raw) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    private void assertDecoded(String encoding, byte[] body) {
        for (boolean chunked : new boolean[] {false, true}) {
            HttpResponse response = await(client().fetch(encoded(encoding, body, chunked)));
            assertEquals("asdfqwer", response.text(), encoding + (chunked ? " chunked" : ""));
            assertEquals(encoding, response.header("X-Consumed-Content-Encoding"));
            assertNull(response.header("Content-Encoding"));
            assertNull(response.header("Content-Length"));
        }
    }

    @Test
    void gzipDecoded() {
        run(() -> assertDecoded("gzip", TestBytes.gzip(TEXT)));
    }

    @Test
    void gzipMembersInSequence() {
        run(() -> {
            byte[] first = TestBytes.gzip(utf8("asdf"));
            byte[] second = TestBytes.gzip(utf8("qwer"));
            byte[] both = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, both, first.length, second.length);
            assertDecoded("gzip", both);
        });
    }

    @Test
    void deflateZlibAndRaw() {
        run(() -> {
            assertDecoded("deflate", deflate(TEXT, false));
            assertDecoded("deflate", deflate(TEXT, true));
        });
    }

    @Test
    void rawBytesWhenNotDecompressing() {
        run(() -> {
            byte[] gzipped = TestBytes.gzip(TEXT);
            String url = encoded("gzip", gzipped, true);
            HttpRequest request = HttpRequest.builder(url).decompressResponse(false).header("Accept-Encoding", "gzip")
                    .build();
            HttpResponse response = await(client().fetch(request));
            assertArrayEquals(gzipped, response.body());
            assertEquals("gzip", response.header("Content-Encoding"));
            assertNull(response.header("X-Consumed-Content-Encoding"));
            String sent = received.getFirst();
            assertEquals(1, sent.split("(?i)accept-encoding:").length - 1, sent);
        });
    }

    @Test
    void emptyBodyLabelledCompressed() {
        run(() -> {
            // Servers label empty bodies gzip too (Tornado, decoding with zlib, accepts them).
            for (String encoding : new String[] {"gzip", "deflate"}) {
                for (boolean chunked : new boolean[] {false, true}) {
                    HttpResponse response = await(client().fetch(encoded(encoding, new byte[0], chunked)));
                    assertEquals(0, response.body().length, encoding);
                }
            }
        });
    }

    @Test
    void unknownEncodingLeftAlone() {
        run(() -> {
            HttpResponse response = await(client().fetch(encoded("br", TEXT, false)));
            assertArrayEquals(TEXT, response.body());
            assertEquals("br", response.header("Content-Encoding"));
        });
    }

    @Test
    void invalidDataFailsWithoutHanging() {
        run(() -> {
            byte[] gzipped = TestBytes.gzip(TEXT);
            byte[] corrupt = gzipped.clone();
            corrupt[gzipped.length - 8] ^= 1; // the CRC-32
            byte[][] invalid = {utf8("not gzip at all"), Arrays.copyOf(gzipped, gzipped.length - 3), corrupt};
            for (byte[] body : invalid) {
                for (boolean chunked : new boolean[] {false, true}) {
                    HttpRequest request = HttpRequest.builder(encoded("gzip", body, chunked))
                            .requestTimeout(Duration.ofSeconds(5)).build();
                    MalformedResponseException e = assertFetchFails(MalformedResponseException.class,
                            client().fetch(request));
                    assertEquals(FetchPhase.RESPONSE_BODY, e.phase());
                }
            }
            String url = encoded("deflate", utf8("not deflate"), false);
            assertFetchFails(MalformedResponseException.class, client().fetch(url));
        });
    }

    @Test
    void gzipBombStopsAtTheLimit() {
        run(() -> {
            byte[] bomb = TestBytes.gzip(new byte[64 << 20]); // 64 MiB of zeros in about 64 KiB
            assertTrue(bomb.length < 1 << 20, "the body itself is small: " + bomb.length);
            int limit = 64 * 1024;
            AsyncHttpClient client = client(HttpClientOptions.builder().maxBodySize(limit).chunkSize(16 * 1024));
            for (boolean chunked : new boolean[] {false, true}) {
                String url = encoded("gzip", bomb, chunked);
                assertEquals(limit, assertTooLarge(FetchPhase.RESPONSE_BODY, client.fetch(url)).limit());
                long[] streamed = new long[1];
                HttpRequest streaming = HttpRequest.builder(url).streamingCallback(chunk -> streamed[0] += chunk.length)
                        .build();
                assertTooLarge(FetchPhase.RESPONSE_BODY, client.fetch(streaming));
                assertTrue(streamed[0] <= limit, "inflation stopped at the limit: " + streamed[0]);
            }
        });
    }

    @Test
    void limitAppliesToDecodedNotEncodedSize() {
        run(() -> {
            byte[] text = TestBytes.bytes("squall ".repeat(10_000)); // 70,000 bytes, compressing to a few hundred
            AsyncHttpClient client = client(HttpClientOptions.builder().maxBodySize(text.length));
            assertArrayEquals(text, await(client.fetch(encoded("gzip", TestBytes.gzip(text), false))).body());
            AsyncHttpClient smaller = client(HttpClientOptions.builder().maxBodySize(text.length - 1));
            assertTooLarge(FetchPhase.RESPONSE_BODY, smaller.fetch(encoded("gzip", TestBytes.gzip(text), false)));
        });
    }
}
