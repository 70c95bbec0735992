package io.squall.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame codec: random frames and messages round-trip through {@link Frames#encode} and
 * {@link FrameDecoder}/{@link MessageAssembler} however the bytes are split (fixed seeds), and every
 * violation RFC 6455 names gets its close code.
 */
class FrameCodecTest {
    /** What a decoder produced: events as text, or the close code of the error it stopped at. */
    static final class Recorder implements MessageAssembler.Receiver {
        final List<String> events = new ArrayList<>();
        final List<byte[]> binaries = new ArrayList<>();

        @Override
        public void onText(String text) {
            events.add("text:" + text);
        }

        @Override
        public void onBinary(byte[] data) {
            binaries.add(data);
            events.add("binary:" + data.length);
        }

        @Override
        public void onPing(byte[] payload) {
            events.add("ping:" + new String(payload, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void onPong(byte[] payload) {
            events.add("pong:" + new String(payload, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }
    }

    /** Decodes {@code wire} fed {@code step} bytes at a time (on a copy); returns the events, ending with "error:CODE" on an error. */
    static List<String> decode(byte[] wire, int step, boolean server, int maxMessageSize, PerMessageDeflate deflate) {
        return decodeWithError(wire, step, server, maxMessageSize, deflate).events();
    }

    /** What {@link #decode} saw: its events (an error last, if any) and that error, or null. */
    record Decoded(List<String> events, ProtocolError error) {}

    /** Decodes as {@link #decode} does; closes {@code deflate} (its native memory) when done. */
    static Decoded decodeWithError(byte[] wire, int step, boolean server, int maxMessageSize, PerMessageDeflate deflate) {
        try {
            return decodeOnce(wire, step, server, maxMessageSize, deflate);
        } finally {
            if (deflate != null) {
                deflate.close();
            }
        }
    }

    private static Decoded decodeOnce(byte[] wire, int step, boolean server, int maxMessageSize, PerMessageDeflate deflate) {
        Recorder recorder = new Recorder();
        Inflater inflater = deflate != null ? deflate.inflater() : null;
        FrameDecoder decoder = new FrameDecoder(server, deflate != null,
                new MessageAssembler(maxMessageSize, inflater, deflate != null && deflate.peerNoContextTakeover(), recorder));
        byte[] copy = wire.clone();
        try {
            for (int at = 0; at < copy.length; at += step) {
                decoder.feed(copy, at, Math.min(step, copy.length - at));
            }
        } catch (ProtocolError e) {
            recorder.events.add("error:" + e.closeCode());
            return new Decoded(recorder.events, e);
        }
        return new Decoded(recorder.events, null);
    }

    static List<String> decode(byte[] wire) {
        return decode(wire, wire.length == 0 ? 1 : wire.length, true, 1 << 20, null);
    }

    static byte[] concat(ByteBuffer[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer[] frame : frames) {
            for (ByteBuffer b : frame) {
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

    static ByteBuffer[] frame(int opcode, boolean fin, byte[] payload) {
        return Frames.encode(opcode, fin, false, payload, MASK);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20260101})
    void randomMessagesRoundTripHoweverSplit(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 40; round++) {
            boolean server = random.nextBoolean();
            List<ByteBuffer[]> frames = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int m = random.nextInt(6); m >= 0; m--) {
                int kind = random.nextInt(4);
                if (kind == 0) {
                    byte[] ping = new byte[random.nextInt(126)];
                    random.nextBytes(ping);
                    frames.add(Frames.encode(Frames.PING, true, false, ping, server ? randomMask(random) : null));
                    expected.add("ping:" + new String(ping, StandardCharsets.ISO_8859_1));
                    continue;
                }
                boolean text = kind == 1;
                byte[] payload = text ? utf8(randomText(random, random.nextInt(3) == 0 ? 70000 : 300))
                        : new byte[random.nextInt(3) == 0 ? 70000 : random.nextInt(300)];
                if (!text) {
                    random.nextBytes(payload);
                }
                // Fragments cut anywhere, even inside a UTF-8 sequence.
                int pieces = 1 + random.nextInt(4);
                int at = 0;
                for (int p = 0; p < pieces; p++) {
                    int end = p == pieces - 1 ? payload.length : at + random.nextInt(payload.length - at + 1);
                    byte[] piece = java.util.Arrays.copyOfRange(payload, at, end);
                    frames.add(Frames.encode(p == 0 ? (text ? Frames.TEXT : Frames.BINARY) : Frames.CONTINUATION,
                            p == pieces - 1, false, piece, server ? randomMask(random) : null));
                    if (p < pieces - 1 && random.nextBoolean()) { // a control frame between fragments
                        frames.add(Frames.encode(Frames.PONG, true, false, utf8("x"), server ? randomMask(random) : null));
                        expected.add("pong:x");
                    }
                    at = end;
                }
                expected.add(text ? "text:" + new String(payload, StandardCharsets.UTF_8) : "binary:" + payload.length);
            }
            byte[] wire = concat(frames.toArray(ByteBuffer[][]::new));
            int step = 1 + random.nextInt(random.nextBoolean() ? 7 : 5000);
            assertEquals(expected, decode(wire, step, server, 1 << 20, null), "seed " + seed + " round " + round);
        }
    }

    private static byte[] randomMask(Random random) {
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        return mask;
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder();
        while (s.length() < length) {
            int kind = random.nextInt(4);
            s.appendCodePoint(kind == 0 ? 'a' + random.nextInt(26) : kind == 1 ? 0xE9 : kind == 2 ? 0x20AC : 0x1F600);
        }
        return s.toString();
    }

    @Test
    void binaryPayloadsSurviveIntactAndAFailedDecoderTakesNothingMore() throws ProtocolError {
        byte[] payload = new byte[70000];
        new Random(7).nextBytes(payload);
        Recorder recorder = new Recorder();
        FrameDecoder decoder = new FrameDecoder(true, false, new MessageAssembler(1 << 20, null, false, recorder));
        byte[] wire = concat(frame(Frames.BINARY, true, payload));
        decoder.feed(wire, 0, wire.length);
        assertArrayEquals(payload, recorder.binaries.getFirst());
        assertThrows(ProtocolError.class, () -> decoder.feed(new byte[] {0x00, (byte) 0x80}, 0, 2)); // continuation without a start
        assertThrows(IllegalStateException.class, () -> decoder.feed(new byte[] {(byte) 0x82}, 0, 1));
    }

    @Test
    void lengthsUseTheirThreeEncodings() {
        for (int length : new int[] {0, 125, 126, 65535, 65536}) {
            ByteBuffer[] encoded = Frames.encode(Frames.BINARY, true, false, new byte[length], null);
            int expectedHeader = length < 126 ? 2 : length <= 65535 ? 4 : 10;
            assertEquals(expectedHeader, encoded[0].remaining(), "header for " + length);
            assertEquals(List.of("binary:" + length), decode(concat(encoded), 1 << 20, false, 1 << 20, null));
        }
    }

    // ------------------------------------------------------------------ RFC 6455 violations

    private static void assertFails(int code, byte[] wire) {
        List<String> events = decode(wire);
        assertEquals("error:" + code, events.getLast(), events.toString());
        for (int step = 1; step <= 3; step++) { // the same however split
            assertEquals(events, decode(wire, step, true, 1 << 20, null));
        }
    }

    @Test
    void unmaskedClientFrameIsAProtocolError() {
        assertFails(1002, concat(Frames.encode(Frames.TEXT, true, false, utf8("hi"), null)));
    }

    @Test
    void maskedServerFrameIsAProtocolErrorForAClient() {
        byte[] wire = concat(frame(Frames.TEXT, true, utf8("hi")));
        assertEquals(List.of("error:1002"), decode(wire, wire.length, false, 1 << 20, null));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10})
    void reservedBitsWithoutExtensionAreProtocolErrors(int bit) {
        byte[] wire = concat(frame(Frames.TEXT, true, utf8("hi")));
        wire[0] |= (byte) bit;
        assertFails(1002, wire);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void unknownOpcodesAreProtocolErrors(int opcode) {
        byte[] wire = concat(frame(Frames.TEXT, true, utf8("hi")));
        wire[0] = (byte) (0x80 | opcode);
        assertFails(1002, wire);
    }

    @Test
    void fragmentedControlFrameIsAProtocolError() {
        assertFails(1002, concat(Frames.encode(Frames.PING, false, false, utf8("x"), MASK)));
    }

    @Test
    void controlFrameOver125BytesIsAProtocolError() {
        assertFails(1002, concat(frame(Frames.PING, true, new byte[126])));
        assertFails(1002, concat(frame(Frames.CLOSE, true, new byte[200])));
    }

    @Test
    void continuationWithoutStartIsAProtocolError() {
        assertFails(1002, concat(frame(Frames.CONTINUATION, true, utf8("x"))));
    }

    @Test
    void newMessageInsideAFragmentedOneIsAProtocolError() {
        assertFails(1002, concat(frame(Frames.TEXT, false, utf8("a")), frame(Frames.TEXT, true, utf8("b"))));
    }

    @Test
    void nonMinimalAndTopBitLengthsAreProtocolErrors() {
        byte[] twoBytes = {(byte) 0x82, (byte) (0x80 | 126), 0, 5, 1, 2, 3, 4};
        assertFails(1002, twoBytes);
        byte[] eightBytes = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4};
        assertFails(1002, eightBytes);
        byte[] topBit = {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        assertFails(1002, topBit);
    }

    @Test
    void closeFramePayloadsAreChecked() {
        assertEquals(List.of("close:1005:"), decode(concat(frame(Frames.CLOSE, true, new byte[0]))));
        assertEquals(List.of("close:1000:bye"), decode(concat(frame(Frames.CLOSE, true, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}))));
        assertFails(1002, concat(frame(Frames.CLOSE, true, new byte[] {0x03})));
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
            assertFails(1002, concat(frame(Frames.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code})));
        }
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999}) {
            assertEquals(List.of("close:" + code + ":"),
                    decode(concat(frame(Frames.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code}))));
        }
        assertFails(1007, concat(frame(Frames.CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xC0, (byte) 0x80})));
    }

    @Test
    void invalidUtf8IsRefusedAtItsFirstBadByteAcrossFragments() {
        // The first fragment is fine, the second starts with a byte that cannot continue its sequence:
        // the error comes before the third fragment (or the end of the message) arrives.
        byte[] wire = concat(frame(Frames.TEXT, false, new byte[] {'a', (byte) 0xE2, (byte) 0x82}),
                frame(Frames.CONTINUATION, false, new byte[] {(byte) 0x41}));
        assertFails(1007, wire);
        // A message ending inside a sequence.
        assertFails(1007, concat(frame(Frames.TEXT, true, new byte[] {'a', (byte) 0xE2, (byte) 0x82})));
        for (byte[] bad : new byte[][] {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0x80}}) {
            assertFails(1007, concat(frame(Frames.TEXT, true, bad)));
        }
        // A valid sequence split across fragments is fine.
        assertEquals(List.of("text:€"), decode(concat(frame(Frames.TEXT, false, new byte[] {(byte) 0xE2}),
                frame(Frames.CONTINUATION, true, new byte[] {(byte) 0x82, (byte) 0xAC}))));
    }

    @Test
    void oversizedMessagesAreRefusedFromTheHeader() {
        byte[] wire = concat(frame(Frames.BINARY, true, new byte[1025]));
        assertEquals(List.of("error:1009"), decode(wire, 8, true, 1024, null)); // before the payload arrives
        assertEquals(List.of("binary:1024"), decode(concat(frame(Frames.BINARY, true, new byte[1024])), 100, true, 1024, null));
        byte[] fragmented = concat(frame(Frames.BINARY, false, new byte[600]), frame(Frames.CONTINUATION, true, new byte[600]));
        assertEquals(List.of("error:1009"), decode(fragmented, 64, true, 1024, null));
    }

    // ------------------------------------------------------------------ permessage-deflate

    private static PerMessageDeflate deflate(boolean server, boolean noContext) {
        var agreement = new PerMessageDeflate.Agreement(noContext, noContext, null);
        return new PerMessageDeflate(server, agreement, DeflateOptions.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void compressedMessagesRoundTrip(boolean noContextTakeover) {
        PerMessageDeflate sender = deflate(false, noContextTakeover);
        PerMessageDeflate receiver = deflate(true, noContextTakeover);
        Random random = new Random(99);
        List<ByteBuffer[]> frames = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String text = randomText(random, random.nextInt(5000)) + "repeat repeat repeat";
            byte[] compressed = sender.compress(utf8(text));
            int cut = random.nextInt(compressed.length + 1);
            frames.add(Frames.encode(Frames.TEXT, false, true, java.util.Arrays.copyOf(compressed, cut), MASK));
            frames.add(Frames.encode(Frames.CONTINUATION, true, false,
                    java.util.Arrays.copyOfRange(compressed, cut, compressed.length), MASK));
            expected.add("text:" + text);
        }
        assertEquals(expected, decode(concat(frames.toArray(ByteBuffer[][]::new)), 333, true, 1 << 20, receiver));
    }

    @Test
    void sizeLimitAppliesAfterInflation() {
        PerMessageDeflate sender = deflate(false, false);
        byte[] bomb = sender.compress(new byte[1 << 20]); // a MiB of zeros compresses to about a KiB
        assertTrue(bomb.length < 2048, "compressed to " + bomb.length);
        byte[] wire = concat(Frames.encode(Frames.BINARY, true, true, bomb, MASK));
        assertEquals(List.of("error:1009"), decode(wire, wire.length, true, 64 * 1024, deflate(true, false)));
    }

    @Test
    void rsv1OnAContinuationOrControlFrameIsAProtocolErrorEvenWithDeflate() {
        byte[] wire = concat(Frames.encode(Frames.BINARY, false, true, new byte[] {0}, MASK),
                Frames.encode(Frames.CONTINUATION, true, true, new byte[] {0}, MASK));
        assertEquals("error:1002", decode(wire, 3, true, 1024, deflate(true, false)).getLast());
        byte[] ping = concat(Frames.encode(Frames.PING, true, true, new byte[0], MASK));
        assertEquals(List.of("error:1002"), decode(ping, 1, true, 1024, deflate(true, false)));
    }

    @Test
    void garbageCompressedDataIsInvalidData() {
        byte[] wire = concat(Frames.encode(Frames.BINARY, true, true, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x12}, MASK));
        assertEquals(List.of("error:1007"), decode(wire, 2, true, 1024, deflate(true, false)));
    }

    @Test
    void serverNegotiation() {
        DeflateOptions defaults = DeflateOptions.DEFAULTS;
        assertEquals("permessage-deflate", PerMessageDeflate.accept(List.of("permessage-deflate"), defaults).responseHeader());
        assertEquals("permessage-deflate; client_no_context_takeover", PerMessageDeflate.accept(
                List.of("permessage-deflate; client_max_window_bits; client_no_context_takeover"), defaults).responseHeader());
        // A server window under 15 bits cannot be honoured by the JDK: that offer is declined, the next taken.
        var fallback = PerMessageDeflate.accept(List.of("permessage-deflate; server_max_window_bits=10, "
                + "permessage-deflate; server_no_context_takeover"), defaults);
        assertEquals("permessage-deflate; server_no_context_takeover", fallback.responseHeader());
        assertEquals(null, PerMessageDeflate.accept(List.of("permessage-deflate; server_max_window_bits=10"), defaults));
        assertEquals(null, PerMessageDeflate.accept(List.of("permessage-deflate; foo"), defaults));
        assertEquals(null, PerMessageDeflate.accept(List.of("permessage-deflate; client_no_context_takeover; client_no_context_takeover"), defaults));
        assertEquals(null, PerMessageDeflate.accept(List.of("permessage-deflate; client_max_window_bits=7"), defaults));
        assertEquals(null, PerMessageDeflate.accept(List.of("x-webkit-deflate-frame"), defaults));
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", PerMessageDeflate.accept(
                List.of("permessage-deflate; server_max_window_bits=\"15\""), defaults.withNoContextTakeover(true, true)).responseHeader());
    }

    @Test
    void clientNegotiation() {
        DeflateOptions asked = DeflateOptions.DEFAULTS.withServerMaxWindowBits(10);
        assertEquals("permessage-deflate; server_max_window_bits=10", PerMessageDeflate.offer(asked));
        assertEquals(null, PerMessageDeflate.agreed(List.of(), asked));
        assertTrue(PerMessageDeflate.agreed(List.of("permessage-deflate; server_max_window_bits=9; server_no_context_takeover"),
                asked).serverNoContextTakeover());
        assertThrows(WebSocketError.class, () -> PerMessageDeflate.agreed(List.of("permessage-deflate; server_max_window_bits=12"), asked));
        assertThrows(WebSocketError.class, () -> PerMessageDeflate.agreed(List.of("permessage-deflate; client_max_window_bits=10"), asked));
        assertThrows(WebSocketError.class, () -> PerMessageDeflate.agreed(List.of("permessage-deflate"), null));
        assertThrows(WebSocketError.class, () -> PerMessageDeflate.agreed(List.of("foo"), asked));
    }
}
