package io.squall.http1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.squall.http.HttpInputException;
import io.squall.httpserver.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Fuzz tests of the parsers (Jazzer). In a normal test run they replay, in regression mode, the inputs
 * committed under {@code src/test/resources/io/squall/http1/HttpParserFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} they fuzz for real. The invariant everywhere: a result or an
 * {@link HttpInputException} with a 4xx/5xx status, never another exception; and a chunked body decodes the
 * same however its bytes are split.
 */
class HttpParserFuzzTest {
    private static final HttpParser PARSER = new HttpParser(8192);

    @FuzzTest(maxDuration = "60s")
    void requestHead(byte[] input) {
        try {
            ParsedRequestHead head = PARSER.parseRequestHead(input);
            head.keepAlive();
            assertTrue(head.startLine().version().startsWith("HTTP/1."), head.startLine().toString());
            HttpServerRequest request = new HttpServerRequest(null, head.startLine(), head.headers());
            String target = head.startLine().target();
            assertTrue(request.path().startsWith("/") || target.startsWith(request.path()),
                    "path " + request.path() + " of " + target);
            request.hostName();
            request.fullUrl();
        } catch (HttpInputException e) {
            assertErrorStatus(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void responseHead(byte[] input) {
        try {
            ParsedResponseHead head = PARSER.parseResponseHead(input, input.length % 2 == 0 ? "GET" : "HEAD");
            head.keepAlive();
            head.isInterim();
        } catch (HttpInputException e) {
            assertErrorStatus(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void chunkedBody(FuzzedDataProvider data) {
        int maxBody = data.consumeInt(0, 1 << 16);
        int step = data.consumeInt(1, 64);
        byte[] input = data.consumeRemainingAsBytes();
        Decoded whole = decode(input, input.length, maxBody);
        Decoded split = decode(input, step, maxBody);
        assertEquals(whole.status, split.status, "error status, whole vs split by " + step);
        assertEquals(whole.used, split.used, "bytes used, whole vs split by " + step);
        assertArrayEquals(whole.body, split.body, "body, whole vs split by " + step);
        assertTrue(whole.body.length <= maxBody, "body over the limit");
    }

    /** What decoding produced: the body, the bytes used and the error status (0 if none). */
    private record Decoded(byte[] body, int used, int status) {}

    private static Decoded decode(byte[] input, int step, int maxBody) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ChunkedDecoder decoder = new ChunkedDecoder(maxBody, 256, (ByteBuffer b) -> {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            body.writeBytes(bytes);
        });
        int used = 0;
        try {
            while (used < input.length && !decoder.isDone()) {
                int n = Math.min(step, input.length - used);
                int consumed = decoder.feed(input, used, n);
                assertTrue(consumed == n || decoder.isDone(), "partial consumption before the end");
                used += consumed;
            }
            if (decoder.isDone()) {
                assertEquals(decoder.bodySize(), body.size(), "bodySize() vs the bytes handed out");
            }
            return new Decoded(body.toByteArray(), decoder.isDone() ? used : -1, 0);
        } catch (HttpInputException e) {
            assertErrorStatus(e);
            return new Decoded(body.toByteArray(), -1, e.status());
        }
    }

    private static void assertErrorStatus(HttpInputException e) {
        assertTrue(e.status() >= 400 && e.status() <= 599, e.toString());
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "error without a message");
    }
}
