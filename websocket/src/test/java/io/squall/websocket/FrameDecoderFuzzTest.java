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
 * or 1009 ever comes out, and the same events come out whether the bytes arrive at once or split.
 */
class FrameDecoderFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void frames(FuzzedDataProvider data) {
        boolean server = data.consumeBoolean();
        boolean deflate = data.consumeBoolean();
        int maxMessageSize = data.consumeInt(0, 1 << 16);
        int step = data.consumeInt(1, 64);
        byte[] input = data.consumeRemainingAsBytes();
        List<String> whole = FrameCodecTest.decode(input, Math.max(1, input.length), server, maxMessageSize, newDeflate(deflate));
        List<String> split = FrameCodecTest.decode(input, step, server, maxMessageSize, newDeflate(deflate));
        assertEquals(whole, split, "whole vs split by " + step);
        for (String event : whole) {
            if (event.startsWith("error:")) {
                assertTrue(List.of("error:1002", "error:1007", "error:1009").contains(event), event);
            }
        }
    }

    private static PerMessageDeflate newDeflate(boolean on) {
        return on ? new PerMessageDeflate(true, new PerMessageDeflate.Agreement(false, false, null), DeflateOptions.DEFAULTS) : null;
    }
}
