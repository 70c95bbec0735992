package io.squall.iostream;

import static io.squall.testing.TestBytes.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The read requests and the read buffer on their own: arrivals split at every awkward place. */
class ReadRequestTest {
    private static void append(ReadBuffer buffer, String s) {
        buffer.append(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void delimiterSplitAcrossArrivalsIsFoundWithoutRescanning() throws Exception {
        for (int split = 0; split <= 8; split++) {
            String data = "xxABCDyy";
            ReadBuffer buffer = new ReadBuffer();
            ReadRequest.Delimiter read = new ReadRequest.Delimiter("ABCD".getBytes(StandardCharsets.ISO_8859_1), 100);
            append(buffer, data.substring(0, split));
            byte[] first = read.poll(buffer);
            if (split < 6) {
                assertNull(first, "split " + split);
                append(buffer, data.substring(split));
                first = read.poll(buffer);
            } else {
                append(buffer, data.substring(split));
            }
            assertEquals("xxABCD", str(first), "split " + split);
            assertEquals(2, buffer.size());
        }
    }

    @Test
    void maxBytesCountsTheDelimiter() throws Exception {
        ReadBuffer buffer = new ReadBuffer();
        append(buffer, "abcdef");
        assertEquals("abcdef", str(new ReadRequest.Delimiter("def".getBytes(StandardCharsets.ISO_8859_1), 6).poll(buffer)));
        append(buffer, "abcdef");
        assertThrows(UnsatisfiableReadError.class,
                () -> new ReadRequest.Delimiter("def".getBytes(StandardCharsets.ISO_8859_1), 5).poll(buffer));
        assertThrows(UnsatisfiableReadError.class, () -> new ReadRequest.Regex(Pattern.compile("d.f"), 5).poll(buffer));
        assertEquals("abcdef", str(new ReadRequest.Regex(Pattern.compile("d.f"), 6).poll(buffer)));
    }

    @Test
    void regexSeesBytesAsLatin1() throws Exception {
        ReadBuffer buffer = new ReadBuffer();
        buffer.append(ByteBuffer.wrap(new byte[] {'a', (byte) 0xE9, (byte) 0xFF, 'z'}));
        byte[] got = new ReadRequest.Regex(Pattern.compile("\u00e9\u00ff"), 100).poll(buffer);
        assertArrayEquals(new byte[] {'a', (byte) 0xE9, (byte) 0xFF}, got);
    }

    @Test
    void bufferCompactsAndGrowsKeepingOrder() {
        ReadBuffer buffer = new ReadBuffer();
        StringBuilder expected = new StringBuilder();
        StringBuilder taken = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String piece = Integer.toString(i) + ",";
            append(buffer, piece);
            expected.append(piece);
            if (i % 3 == 0) {
                taken.append(str(buffer.take(Math.min(buffer.size(), 5))));
            }
        }
        taken.append(str(buffer.takeAll()));
        assertEquals(expected.toString(), taken.toString());
        assertEquals(0, buffer.size());
    }

    @Test
    void anEmptyBufferHoldsNoArrayAndHandsOverAnExactlyFilledOne() {
        ReadBuffer buffer = new ReadBuffer();
        append(buffer, "GET / HTTP/1.1\r\n\r\n");
        assertEquals(18, buffer.capacity(), "bytes arriving in an empty buffer get an array of their size");
        byte[] all = buffer.takeAll();
        assertEquals("GET / HTTP/1.1\r\n\r\n", str(all));
        assertEquals(0, buffer.capacity(), "an empty buffer keeps no array");

        buffer.prepend(all, 4, 2);
        append(buffer, "xy");
        buffer.prepend("ab".getBytes(StandardCharsets.ISO_8859_1), 0, 2);
        assertEquals("ab/ ", str(buffer.take(4)));
        assertEquals("xy", str(buffer.takeAll()));
        assertEquals(0, buffer.capacity());
        assertEquals("GET / HTTP/1.1\r\n\r\n", str(all), "what was taken is not shared with the buffer");
    }

    @Test
    void partialBytesAndIntoTakeWhatIsThere() {
        ReadBuffer buffer = new ReadBuffer();
        append(buffer, "hello");
        assertNull(new ReadRequest.Bytes(6, false).poll(buffer));
        assertEquals("hel", str(new ReadRequest.Bytes(3, true).poll(buffer)));
        ByteBuffer target = ByteBuffer.allocate(4);
        ReadRequest.Into into = new ReadRequest.Into(target, false);
        assertNull(into.poll(buffer));
        assertEquals(target, into.directTarget(buffer), "an empty stream buffer lets the socket fill the target");
        target.put((byte) '!').put((byte) '?');
        into.directFilled(2);
        assertEquals(4, into.poll(buffer));
    }
}
