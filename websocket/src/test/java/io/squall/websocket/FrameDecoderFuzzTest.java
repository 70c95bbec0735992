package io.squall.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzz test of the frame decoder and message assembler (Jazzer). In a normal test run it replays, in
 * regression mode, the inputs committed under
 * {@code src/test/resources/io/squall/websocket/FrameDecoderFuzzTestInputs/<method>/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for real. The invariants: only a {@link ProtocolError} with 1002, 1007
 * or 1009 ever comes out, and the same events come out whether the bytes arrive at once or split (but
 * for the one case {@link #corruptAndTooBig} explains).
 */
class FrameDecoderFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void frames(FuzzedDataProvider data) {
        boolean server = data.consumeBoolean();
        boolean deflate = data.consumeBoolean();
        int maxMessageSize = data.consumeInt(0, 1 << 16);
        int step = data.consumeInt(1, 64);
        byte[] input = data.consumeRemainingAsBytes();
        FrameCodecTest.Decoded whole = FrameCodecTest.decodeWithError(
                input, Math.max(1, input.length), server, maxMessageSize, newDeflate(deflate));
        FrameCodecTest.Decoded split = FrameCodecTest.decodeWithError(input, step, server, maxMessageSize, newDeflate(deflate));
        if (!corruptAndTooBig(whole, split)) {
            assertEquals(whole.events(), split.events(), "whole vs split by " + step);
        }
        for (String event : whole.events()) {
            if (event.startsWith("error:")) {
                assertTrue(List.of("error:1002", "error:1007", "error:1009").contains(event), event);
            }
        }
    }

    /**
     * The one allowed difference: a compressed message that is both corrupt and too big may end in either
     * error. Java's {@link java.util.zip.Inflater} throws on corrupt data without handing over what it
     * inflated in that same call, so whether the bytes before the corruption overflow the size limit first
     * depends on how the input was cut. Everything before the error must still be the same.
     */
    private static boolean corruptAndTooBig(FrameCodecTest.Decoded a, FrameCodecTest.Decoded b) {
        if (a.error() == null || b.error() == null || a.events().size() != b.events().size()
                || !a.events().subList(0, a.events().size() - 1).equals(b.events().subList(0, b.events().size() - 1))) {
            return false;
        }
        return isCorruptDeflate(a.error()) && b.error().closeCode() == CloseCodes.MESSAGE_TOO_BIG
                || isCorruptDeflate(b.error()) && a.error().closeCode() == CloseCodes.MESSAGE_TOO_BIG;
    }

    private static boolean isCorruptDeflate(ProtocolError e) {
        return e.closeCode() == CloseCodes.INVALID_DATA && e.getMessage().equals(MessageAssembler.CORRUPT_DEFLATE);
    }

    private static PerMessageDeflate newDeflate(boolean on) {
        return on ? new PerMessageDeflate(true, new PerMessageDeflate.Agreement(false, false, null), DeflateOptions.DEFAULTS) : null;
    }
}
