package io.squall.http1;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.squall.concurrent.Future;
import io.squall.http.HttpInputException;
import io.squall.ioloop.IOLoop;
import io.squall.iostream.IOStream;
import io.squall.iostream.IOStreamOptions;
import io.squall.iostream.StreamClosedError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * Fuzz test of {@link HeadReader}: the bytes of a connection, split into reads of fuzzed sizes, must give the
 * head a straightforward reading of the whole input gives (from the first non-empty line to the empty line
 * after it), the same one {@link HttpParser#findHeadEnd} finds, whatever the split; the bytes read past
 * the head must go back into the stream, in order; a head that has not ended within the size limit is a 431.
 * Regression inputs: {@code src/test/resources/io/squall/http1/HeadReaderFuzzTestInputs/splitHeads/}.
 */
class HeadReaderFuzzTest {
    /** The reads complete at once, so the reader never waits on this loop; the stream is not connected. */
    private static final IOStream STREAM = unconnectedStream();

    @FuzzTest(maxDuration = "60s")
    void splitHeads(FuzzedDataProvider data) {
        int maxHeaderSize = data.consumeInt(1, 300);
        int[] pieceSizes = new int[data.consumeInt(1, 16)];
        Arrays.setAll(pieceSizes, i -> data.consumeInt(1, 64));
        byte[] input = data.consumeRemainingAsBytes();
        drain();
        int[] read = {0, 0}; // bytes handed out, reads made
        HeadReader reader = new HeadReader(STREAM, maxHeaderSize);
        int end = headEnd(input);
        try {
            byte[] head = reader.read(n -> {
                assertTrue(n > 0 && read[0] + n <= maxHeaderSize + 1, "read of " + n + " after " + read[0]);
                if (read[0] == input.length) {
                    return Future.failed(new StreamClosedError());
                }
                int size = Math.min(Math.min(n, pieceSizes[read[1]++ % pieceSizes.length]), input.length - read[0]);
                read[0] += size;
                return Future.completed(Arrays.copyOfRange(input, read[0] - size, read[0]));
            });
            assertTrue(end >= 0 && end <= maxHeaderSize + 1, "returned a head where there is none in the limit");
            assertArrayEquals(Arrays.copyOfRange(input, firstLine(input), end), head, "the head");
            assertEquals(end, HttpParser.findHeadEnd(input, 0, input.length, true), "HttpParser.findHeadEnd");
            byte[] putBack = drain();
            assertArrayEquals(Arrays.copyOfRange(input, end, read[0]), putBack, "bytes put back into the stream");
        } catch (HttpInputException e) {
            assertEquals(431, e.status(), e.toString());
            assertTrue(end < 0 || end > maxHeaderSize + 1, "431 although the head ends at " + end);
            assertTrue(read[0] == maxHeaderSize + 1, "431 after reading " + read[0] + " bytes");
        } catch (StreamClosedError e) {
            assertTrue(end < 0 || end > read[0], "stream closed but the head ends at " + end);
            assertEquals(input.length, read[0], "closed before the input was used up");
        }
    }

    /** The index past the empty line that ends the first head (leading empty lines skipped), or -1. */
    private static int headEnd(byte[] input) {
        int lineStart = firstLine(input);
        if (lineStart == input.length) {
            return -1;
        }
        boolean first = true;
        for (int i = lineStart; i < input.length; i++) {
            if (input[i] == '\n') {
                int length = i - lineStart;
                if (!first && (length == 0 || length == 1 && input[lineStart] == '\r')) {
                    return i + 1;
                }
                first = false;
                lineStart = i + 1;
            }
        }
        return -1;
    }

    /** The index past the leading empty lines (LF or CR LF). */
    private static int firstLine(byte[] input) {
        int i = 0;
        while (true) {
            if (i < input.length && input[i] == '\n') {
                i++;
            } else if (i + 1 < input.length && input[i] == '\r' && input[i + 1] == '\n') {
                i += 2;
            } else {
                return i;
            }
        }
    }

    /** Takes whatever the stream holds. */
    private static byte[] drain() {
        int n = STREAM.bufferedBytes();
        if (n == 0) {
            return new byte[0];
        }
        Future<byte[]> bytes = STREAM.readBytes(n);
        if (!bytes.isDone()) {
            fail("reading the bytes the stream holds did not complete at once");
        }
        return await(bytes);
    }

    private static IOStream unconnectedStream() {
        try {
            return new IOStream(SocketChannel.open(), new IOLoop(), IOStreamOptions.DEFAULTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
