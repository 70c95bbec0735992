package io.squall.web.multipart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.squall.web.multipart.MultipartBodies.Part;
import java.util.List;

/**
 * Fuzz tests of the multipart parser (Jazzer). In a normal test run they replay, in regression mode, the
 * inputs committed under {@code src/test/resources/io/squall/web/multipart/MultipartParserFuzzTestInputs/<method>/};
 * with {@code JAZZER_FUZZ=1} they fuzz for real. The invariant: parts or a {@link MultipartException} with 400
 * or 413 and a message, never another exception, the same however the bytes are split.
 */
class MultipartParserFuzzTest {
    private static final MultipartOptions SMALL = MultipartOptions.builder().maxParts(8).maxPartHeaderSize(256).build();

    @FuzzTest(maxDuration = "60s")
    void body(FuzzedDataProvider data) {
        int step = data.consumeInt(1, 64);
        String boundary = data.consumeString(MultipartParser.MAX_BOUNDARY_LENGTH);
        byte[] body = data.consumeRemainingAsBytes();
        MultipartParser probe;
        try {
            probe = new MultipartParser(boundary, SMALL, new MultipartBodies.Collector());
        } catch (IllegalArgumentException e) {
            return; // not a boundary: boundaryOf never returns such a one
        }
        assertTrue(probe != null);
        Outcome whole = parse(boundary, body, Math.max(1, body.length));
        Outcome split = parse(boundary, body, step);
        assertEquals(whole, split, "whole vs split by " + step);
    }

    @FuzzTest(maxDuration = "60s")
    void contentType(byte[] input) {
        String header = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            String boundary = MultipartParser.boundaryOf(header);
            assertTrue(!boundary.isEmpty() && boundary.length() <= MultipartParser.MAX_BOUNDARY_LENGTH, boundary);
            new MultipartParser(boundary, SMALL, new MultipartBodies.Collector());
        } catch (MultipartException e) {
            assertError(e);
        }
    }

    /** The parts, or the error status. */
    private record Outcome(List<Part> parts, int status) {}

    private static Outcome parse(String boundary, byte[] body, int step) {
        try {
            return new Outcome(MultipartBodies.parse(boundary, body, step, SMALL), 0);
        } catch (MultipartException e) {
            assertError(e);
            return new Outcome(null, e.status());
        }
    }

    private static void assertError(MultipartException e) {
        assertTrue(e.status() == 400 || e.status() == 413, e.toString());
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "error without a message");
    }
}
