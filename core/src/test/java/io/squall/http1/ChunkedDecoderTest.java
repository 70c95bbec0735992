package io.squall.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.http.HttpInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedDecoderTest {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private ChunkedDecoder decoder(long maxBodySize) {
        return new ChunkedDecoder(maxBodySize, data -> {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            body.writeBytes(bytes);
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String body() {
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code input} whole and returns the number of bytes used. */
    private int decodeWhole(ChunkedDecoder decoder, String input) {
        byte[] in = bytes(input);
        return decoder.feed(in, 0, in.length);
    }

    private HttpInputException assertRejected(int status, String fragment, String input) {
        ChunkedDecoder decoder = decoder(Long.MAX_VALUE);
        HttpInputException e = assertThrows(HttpInputException.class, () -> decodeWhole(decoder, input), input);
        assertEquals(status, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" lacks \"" + fragment + '"');
        return e;
    }

    @Test
    void decodesChunksAndStopsAfterTheLastOne() {
        ChunkedDecoder decoder = decoder(100);
        String input = "5\r\nhello\r\n6\r\n world\r\n000\r\n\r\nGET / HTTP/1.1\r\n";

        int used = decodeWhole(decoder, input);

        assertTrue(decoder.isDone());
        assertEquals("hello world", body());
        assertEquals(input.indexOf("GET"), used);
        assertEquals(11, decoder.bodySize());
        assertEquals(0, decoder.trailers().size());
        assertEquals(0, decoder.feed(bytes("more"), 0, 4));
    }

    @Test
    void decodesTheSameWhateverTheSlicing() {
        String input = "a;ext=\"v\"\r\n0123456789\r\n1F\r\n" + "x".repeat(31) + "\r\n0\r\nT: 1\r\n\r\n";
        byte[] in = bytes(input);
        for (int step = 1; step <= in.length; step++) {
            body.reset();
            ChunkedDecoder decoder = decoder(Long.MAX_VALUE);
            int used = 0;
            while (used < in.length) {
                used += decoder.feed(in, used, Math.min(step, in.length - used));
            }
            assertTrue(decoder.isDone(), "step " + step);
            assertEquals("0123456789" + "x".repeat(31), body(), "step " + step);
            assertEquals("1", decoder.trailers().get("t"), "step " + step);
        }
    }

    @Test
    void handsDataOutAsReadOnlyViews() {
        byte[] in = bytes("3\r\nabc\r\n0\r\n\r\n");
        List<ByteBuffer> seen = new java.util.ArrayList<>();
        ChunkedDecoder decoder = new ChunkedDecoder(10, data -> {
            assertTrue(data.isReadOnly());
            assertEquals(0, data.position());
            assertThrows(ReadOnlyBufferException.class, () -> data.put(0, (byte) 'x'));
            seen.add(data);
        });

        decoder.feed(in, 0, in.length);

        assertEquals(1, seen.size());
        assertEquals(3, seen.getFirst().remaining());
    }

    @Test
    void acceptsUppercaseHexAndLeadingZeros() {
        ChunkedDecoder decoder = decoder(100);

        decodeWhole(decoder, "0000A\r\n0123456789\r\n0\r\n\r\n");

        assertEquals("0123456789", body());
        assertTrue(decoder.isDone());
    }

    @Test
    void ignoresWellFormedChunkExtensions() {
        ChunkedDecoder decoder = decoder(100);

        decodeWhole(decoder, "5;ilovew3;somuchlove=aretheseparametersfor\r\nhello\r\n"
                + "6 ; q=\"I \\\"love\\\"; \\\\extensions\\\\\" ;x = y\r\n world\r\n0;last\r\n\r\n");

        assertEquals("hello world", body());
        assertTrue(decoder.isDone());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "0x10", " 5", "+5", "", "g", "5 5", "\t5"})
    void answers400ToChunkSizesThatAreNotHex(String size) {
        assertRejected(400, "chunk size", size + "\r\nhello\r\n0\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 ", "5\t", "5;", "5;=v", "5;a=", "5;a=\"open", "5;a=\"x\"y", "5;a b", "5 erfrferferf",
        "5;a=\"\u0001\"", "5;a=b=c"})
    void answers400ToMalformedChunkExtensions(String line) {
        assertRejected(400, "malformed chunked body", line + "\r\nhello\r\n0\r\n\r\n");
    }

    @Test
    void answers400ToChunkSizesOverflowingALong() {
        assertRejected(400, "too large", "10000000000000000\r\n");
        assertRejected(400, "too large", "ffffffffffffffffffffffff\r\n");
        ChunkedDecoder decoder = decoder(Long.MAX_VALUE);
        decodeWhole(decoder, "7fffffffffffffff\r\nabc");
        assertEquals("abc", body());
    }

    @Test
    void answers400ToBadLineEndings() {
        assertRejected(400, "bare LF", "5\nhello\r\n0\r\n\r\n");
        assertRejected(400, "0x0D", "5\r\rhello\r\n0\r\n\r\n");
        assertRejected(400, "chunk data not followed by CRLF", "5\r\nhelloX\r\n0\r\n\r\n");
        assertRejected(400, "chunk data not followed by CRLF", "5\r\nhello\rX0\r\n\r\n");
        assertRejected(400, "chunk data not followed by CRLF", "5\r\nhello\n0\r\n\r\n");
        assertRejected(400, "bare LF", "0\r\n\n");
        assertRejected(400, "bare LF", "0\r\nX: 1\n\r\n");
    }

    @Test
    void answers400ToAMissingLastChunk() {
        assertRejected(400, "not a hexadecimal number", "3\r\nfoo\r\n\r\n");
    }

    @Test
    void limitsTheSizeLineTo4096Bytes() {
        String ext = ";" + "e".repeat(ChunkedDecoder.MAX_SIZE_LINE - 4);
        ChunkedDecoder decoder = decoder(100);
        decodeWhole(decoder, "1" + ext + "\r\nx\r\n0\r\n\r\n");
        assertEquals("x", body());

        assertRejected(400, "longer than 4096 bytes", "1" + ext + "e\r\nx\r\n0\r\n\r\n");
        assertRejected(400, "longer than 4096 bytes", "0".repeat(5000));
    }

    @Test
    void keepsValidatedTrailers() {
        ChunkedDecoder decoder = decoder(100);

        decodeWhole(decoder, "5\r\nhello\r\n0\r\nVary: *\r\nContent-Type:  text/plain \r\nvary: x\r\n\r\n");

        assertEquals(List.of(Map.entry("Vary", "*"), Map.entry("Content-Type", "text/plain"), Map.entry("vary", "x")),
                decoder.trailers().entries());
        assertRejected(400, "whitespace between the header name and the colon", "0\r\nX : 1\r\n\r\n");
        assertRejected(400, "obs-fold", "0\r\nX: 1\r\n 2\r\n\r\n");
        assertRejected(400, "control character", "0\r\nX: a\u0000b\r\n\r\n");
        assertRejected(400, "no colon", "0\r\nJunk\r\n\r\n");
    }

    @Test
    void limitsTheTrailerSectionWith431() {
        ChunkedDecoder decoder = new ChunkedDecoder(100, 16, data -> { });
        byte[] fits = bytes("0\r\nX: 12345678\r\n\r\n");
        decoder.feed(fits, 0, fits.length);
        assertTrue(decoder.isDone());

        ChunkedDecoder small = new ChunkedDecoder(100, 16, data -> { });
        byte[] over = bytes("0\r\nX: 1234567890\r\n\r\n");
        HttpInputException e = assertThrows(HttpInputException.class, () -> small.feed(over, 0, over.length));
        assertEquals(431, e.status());
        assertThrows(IllegalArgumentException.class, () -> new ChunkedDecoder(1, 1, data -> { }));
    }

    @Test
    void answers413WhenTheBodyWouldExceedTheLimitBeforeItsDataArrives() {
        ChunkedDecoder exact = decoder(10);
        decodeWhole(exact, "4\r\nabcd\r\n6\r\nefghij\r\n0\r\n\r\n");
        assertTrue(exact.isDone());

        body.reset();
        ChunkedDecoder over = decoder(10);
        HttpInputException e = assertThrows(HttpInputException.class,
                () -> decodeWhole(over, "4\r\nabcd\r\n7\r\n"));
        assertEquals(413, e.status());
        assertEquals("abcd", body());
        assertTrue(e.getMessage().contains("limit of 10 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> decoder(-1));
    }

    @Test
    void refusesInputAfterAnError() {
        ChunkedDecoder decoder = decoder(100);
        assertThrows(HttpInputException.class, () -> decodeWhole(decoder, "z\r\n"));

        assertFalse(decoder.isDone());
        assertThrows(IllegalStateException.class, () -> decodeWhole(decoder, "0\r\n\r\n"));
    }

    @Test
    void feedsFromHeapAndDirectByteBuffers() {
        for (boolean direct : new boolean[] {false, true}) {
            body.reset();
            byte[] in = bytes("3\r\nabc\r\n0\r\n\r\nNEXT");
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(in.length + 2) : ByteBuffer.allocate(in.length + 2);
            buffer.put((byte) '!').put(in).flip().position(1);
            ChunkedDecoder decoder = decoder(100);

            decoder.feed(buffer);

            assertTrue(decoder.isDone(), "direct=" + direct);
            assertEquals("abc", body());
            assertEquals("NEXT", StandardCharsets.ISO_8859_1.decode(buffer).toString(), "direct=" + direct);
        }
    }

    @Test
    void decodesALargeBodyInLinearTime() {
        int chunks = 20_000;
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            input.append("40;e=1\r\n").append("y".repeat(64)).append("\r\n");
        }
        input.append("0\r\n\r\n");
        ChunkedDecoder decoder = decoder(Long.MAX_VALUE);

        decodeWhole(decoder, input.toString());

        assertTrue(decoder.isDone());
        assertEquals(64L * chunks, body.size());
    }
}
