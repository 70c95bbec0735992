package io.squall.iostream;

import static io.squall.testing.TestBytes.*;
import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.spawn;
import static io.squall.gen.Coroutines.withTimeout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Tornado's iostream_test behaviours, run over every transport by the subclasses (plain TCP, TLS).
 */
abstract class AbstractIOStreamTest extends StreamTestSupport {

    /** Connects a client and a server stream; runs inside a coroutine. */
    abstract Pair connect(IOStreamOptions clientOptions, IOStreamOptions serverOptions) throws Exception;

    Pair connect() throws Exception {
        return connect(DEFAULTS, DEFAULTS);
    }

    // ------------------------------------------------------------------ close and drain ordering

    @Test
    void clientReadsEverythingTheServerWroteBeforeClosing() {
        run(() -> {
            try (Pair p = connect()) {
                byte[] head = bytes("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
                byte[] body = random(300_000, 1);
                Future<byte[]> headRead = p.client().readUntil(bytes("\r\n\r\n"), 1024);
                await(p.server().write(ByteBuffer.wrap(head), ByteBuffer.wrap(body)));
                p.server().close();
                assertArrayEquals(head, await(headRead));
                assertArrayEquals(body, await(p.client().readUntilClose()));
            }
        });
    }

    @Test
    void closeIsDeliveredOnlyAfterTheBufferDrains() {
        run(() -> {
            try (Pair p = connect()) {
                Future<Void> clientClosed = closed(p.client());
                await(p.server().write(bytes("12")));
                p.server().close();
                await(clientClosed);
                assertTrue(p.client().isClosed());
                assertEquals("1", str(await(p.client().readBytes(1))));
                assertEquals("2", str(await(p.client().readBytes(1))));
                assertThrows(StreamClosedError.class, () -> await(p.client().readBytes(1)));
            }
        });
    }

    @Test
    void dataStillInTheKernelIsDrainedBeforeTheClose() {
        run(() -> {
            try (Pair p = connect(DEFAULTS.withReadChunkSize(256), DEFAULTS)) {
                byte[] data = random(512, 2);
                await(p.server().write(data));
                p.server().close();
                assertArrayEquals(Arrays.copyOfRange(data, 0, 256), await(p.client().readBytes(256)));
                assertArrayEquals(Arrays.copyOfRange(data, 256, 512), await(p.client().readBytes(256)));
                assertThrows(StreamClosedError.class, () -> await(p.client().readBytes(1)));
            }
        });
    }

    @Test
    void readUntilCloseAfterThePeerClosedReturnsTheRest() {
        run(() -> {
            try (Pair p = connect()) {
                Future<Void> clientClosed = closed(p.client());
                await(p.server().write(bytes("1234")));
                p.server().close();
                assertEquals("1", str(await(p.client().readBytes(1))));
                await(clientClosed);
                assertEquals("234", str(await(p.client().readUntilClose())));
                Future<byte[]> late = p.client().readBytes(1);
                assertTrue(late.isDone(), "a read on a closed, drained stream fails at once");
                assertInstanceOf(StreamClosedError.class, late.exception());
                assertNull(p.client().error(), "a clean close records no error");
            }
        });
    }

    @Test
    void closeCallbackRunsWhileAReadIsPending() {
        run(() -> {
            try (Pair p = connect()) {
                Future<Void> clientClosed = closed(p.client());
                Future<byte[]> read = p.client().readBytes(10);
                assertTrue(p.client().reading());
                p.server().close();
                await(clientClosed);
                assertTrue(read.isDone(), "the pending read fails before the close callback runs");
                assertInstanceOf(StreamClosedError.class, read.exception());
                assertFalse(p.client().reading());
            }
        });
    }

    @Test
    void delimiterArrivingTogetherWithTheCloseIsFound() {
        run(() -> {
            try (Pair p = connect()) {
                Future<byte[]> line = p.client().readUntil(bytes("\r\n"));
                p.server().write(bytes("abc"));
                await(p.server().write(bytes("\r\n")));
                p.server().close();
                assertEquals("abc\r\n", str(await(line)));
            }
        });
    }

    @Test
    void closeWithoutTheDelimiterIsAStreamClosedErrorNotUnsatisfiable() {
        run(() -> {
            try (Pair p = connect()) {
                await(p.server().write(bytes("abc")));
                p.server().close();
                StreamClosedError e = assertThrows(StreamClosedError.class,
                        () -> await(p.client().readUntil(bytes("\r\n"), 1024)));
                assertFalse(e.getCause() instanceof UnsatisfiableReadError, e.toString());
                assertEquals("abc", str(await(p.client().readUntilClose())), "the bytes stay readable");
            }
        });
    }

    // ------------------------------------------------------------------ read kinds

    @Test
    void partialReads() {
        run(() -> {
            try (Pair p = connect()) {
                await(p.server().write(bytes("hello")));
                assertEquals("hello", str(await(p.client().readBytes(50, true))));
                await(p.server().write(bytes("world")));
                assertEquals("wor", str(await(p.client().readBytes(3, true))));
                Future<byte[]> none = p.client().readBytes(0, false);
                assertTrue(none.isDone());
                assertEquals(0, none.result().length);
                assertEquals("ld", str(await(p.client().readBytes(50, true))));
            }
        });
    }

    @Test
    void secondReadWhileOneIsPendingFailsAtOnce() {
        run(() -> {
            try (Pair p = connect()) {
                Future<byte[]> first = p.client().readBytes(3);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.client().readUntilClose());
                assertEquals("Already reading", e.getMessage());
                await(p.server().write(bytes("abc")));
                assertEquals("abc", str(await(first)));
            }
        });
    }

    @Test
    void readUntilAndRegexMaxBytesIncludeTheDelimiter() {
        run(() -> {
            try (Pair p = connect()) {
                await(p.server().write(bytes("abcdef")));
                assertEquals("abcdef", str(await(p.client().readUntil(bytes("def"), 50))));
                await(p.server().write(bytes("abcdef")));
                assertEquals("abcdef", str(await(p.client().readUntil(bytes("def"), 6))));
                await(p.server().write(bytes("abcdef")));
                assertEquals("abcdef", str(await(p.client().readUntilRegex(Pattern.compile("de+f"), 6))));
            }
        });
    }

    @Test
    void readUntilOneByteOverMaxBytesClosesTheStream() {
        run(() -> {
            try (Pair p = connect()) {
                await(p.server().write(bytes("abcdef")));
                StreamClosedError e = assertThrows(StreamClosedError.class,
                        () -> await(p.client().readUntil(bytes("def"), 5)));
                assertInstanceOf(UnsatisfiableReadError.class, e.getCause());
                assertTrue(p.client().isClosed());
                assertInstanceOf(UnsatisfiableReadError.class, p.client().error());
            }
        });
    }

    @Test
    void readUntilRegexOneByteOverMaxBytesClosesTheStream() {
        run(() -> {
            try (Pair p = connect()) {
                await(p.server().write(bytes("abcdef")));
                StreamClosedError e = assertThrows(StreamClosedError.class,
                        () -> await(p.client().readUntilRegex(Pattern.compile("def"), 5)));
                assertInstanceOf(UnsatisfiableReadError.class, e.getCause());
                assertTrue(p.client().isClosed());
            }
        });
    }

    @Test
    void readUntilWithoutTheDelimiterPastMaxBytesIsUnsatisfiable() {
        run(() -> {
            try (Pair p = connect()) {
                Future<byte[]> line = p.client().readUntil(bytes("\n"), 100);
                await(p.server().write(new byte[101]));
                StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(line));
                assertInstanceOf(UnsatisfiableReadError.class, e.getCause());
            }
        });
    }

    @Test
    void readUntilOverMegabytesIsLinear() {
        run(() -> {
            // 128-byte socket reads: a quadratic search would scan ~275 GB here.
            try (Pair p = connect(DEFAULTS.withReadChunkSize(128), DEFAULTS)) {
                byte[] data = new byte[8 << 20];
                Arrays.fill(data, (byte) 'x');
                data[data.length - 2] = '\r';
                data[data.length - 1] = '\n';
                long start = System.nanoTime();
                Future<byte[]> line = p.client().readUntil(bytes("\r\n"));
                p.server().write(data);
                assertEquals(data.length, await(line).length);
                assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "readUntil took too long");
            }
        });
    }

    @Test
    void readIntoTakesBufferedBytesFirstThenTheSocket() {
        run(() -> {
            try (Pair p = connect()) {
                await(p.server().write(bytes("hello world")));
                assertEquals("h", str(await(p.client().readBytes(1))));
                ByteBuffer five = ByteBuffer.allocate(5);
                assertEquals(5, await(p.client().readInto(five, false)));
                assertEquals("ello ", str(five.array()));

                Future<Integer> zero = p.client().readInto(ByteBuffer.allocate(0), false);
                assertTrue(zero.isDone());
                assertEquals(0, zero.result());

                ByteBuffer big = ByteBuffer.allocate(100);
                assertEquals(5, await(p.client().readInto(big, true)));
                assertEquals("world", str(Arrays.copyOf(big.array(), 5)));

                ByteBuffer direct = ByteBuffer.allocateDirect(10);
                Future<Integer> full = p.client().readInto(direct, false);
                await(p.server().write(bytes("12345")));
                assertFalse(full.isDone());
                await(p.server().write(bytes("67890")));
                assertEquals(10, await(full));
                byte[] got = new byte[10];
                direct.flip().get(got);
                assertEquals("1234567890", str(got));
            }
        });
    }

    @Test
    void millionRandomBytesThroughMixedReadsArriveIntact() {
        run(() -> {
            try (Pair p = connect()) {
                int total = 1_000_000;
                byte[] data = random(total, 3);
                Future<Void> sent = spawn(() -> {
                    Random sizes = new Random(4);
                    for (int off = 0; off < total; ) {
                        int n = Math.min(total - off, 1 + sizes.nextInt(20_000));
                        await(p.server().write(Arrays.copyOfRange(data, off, off + n)));
                        off += n;
                    }
                    p.server().close();
                });
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                Random ops = new Random(5);
                int received = 0;
                byte[] delimiter = {(byte) 0x42};
                Pattern regex = Pattern.compile("[\\x00-\\x03]");
                while (received < total) {
                    int remaining = total - received;
                    int n = 1 + ops.nextInt(Math.min(remaining, 30_000));
                    byte[] chunk;
                    try {
                        chunk = switch (ops.nextInt(6)) {
                            case 0 -> await(p.client().readBytes(n));
                            case 1 -> await(p.client().readBytes(n, true));
                            case 2 -> await(p.client().readUntil(delimiter));
                            case 3 -> await(p.client().readUntilRegex(regex));
                            case 4 -> readInto(p.client(), ByteBuffer.allocate(n), ops.nextBoolean());
                            default -> readInto(p.client(), ByteBuffer.allocateDirect(n), ops.nextBoolean());
                        };
                    } catch (StreamClosedError e) {
                        chunk = await(p.client().readUntilClose()); // no delimiter in the tail
                    }
                    digest.update(chunk);
                    received += chunk.length;
                }
                await(sent);
                assertEquals(total, received);
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digest.digest());
            }
        });
    }

    private static byte[] readInto(IOStream stream, ByteBuffer buffer, boolean partial) {
        int n = await(stream.readInto(buffer, partial));
        byte[] out = new byte[n];
        buffer.flip().get(out);
        return out;
    }

    // ------------------------------------------------------------------ writes

    @Test
    void emptyWriteCompletesAndGatheringWritesKeepOrder() {
        run(() -> {
            try (Pair p = connect()) {
                await(p.client().write(new byte[0]));
                ByteBuffer direct = ByteBuffer.allocateDirect(2).put(bytes("cd")).flip();
                await(p.client().write(ByteBuffer.wrap(bytes("ab")), direct, ByteBuffer.allocate(0), ByteBuffer.wrap(bytes("ef"))));
                assertEquals("abcdef", str(await(p.server().readBytes(6))));

                // More buffers than one gathering write takes, and one larger than a write batch.
                ByteBuffer[] many = new ByteBuffer[100];
                ByteArrayOutputStream expected = new ByteArrayOutputStream();
                for (int i = 0; i < many.length; i++) {
                    byte[] b = random(1000 + i, i);
                    expected.write(b);
                    many[i] = ByteBuffer.wrap(b);
                }
                byte[] large = random(3_000_000, 7);
                expected.write(large);
                Future<byte[]> all = p.server().readBytes(expected.size());
                p.client().write(many);
                await(p.client().write(large));
                assertArrayEquals(expected.toByteArray(), await(all));
            }
        });
    }

    @Test
    void fileRegionsGoOutInOrderBetweenBuffersWithoutCountingTowardTheWriteLimit() throws Exception {
        byte[] content = random(6_000_000, 11);
        Path file = Files.createTempFile("squall-region", ".bin");
        try {
            Files.write(file, content);
            run(() -> {
                try (Pair p = connect(DEFAULTS, DEFAULTS.withMaxWriteBufferSize(64 * 1024));
                     FileChannel channel = FileChannel.open(file)) {
                    Future<byte[]> received = p.client().readBytes(5 + 5_000_000 + 4 + 7);
                    p.server().write(bytes("head:"));
                    Future<Void> region = p.server().writeFile(channel, 1000, 5_000_000);
                    p.server().write(bytes("tail"));
                    Future<Void> second = p.server().writeFile(channel, 0, 7);
                    await(second);
                    assertTrue(region.isDone());
                    byte[] expected = new byte[5 + 5_000_000 + 4 + 7];
                    System.arraycopy(bytes("head:"), 0, expected, 0, 5);
                    System.arraycopy(content, 1000, expected, 5, 5_000_000);
                    System.arraycopy(bytes("tail"), 0, expected, 5_000_005, 4);
                    System.arraycopy(content, 0, expected, 5_000_009, 7);
                    assertArrayEquals(expected, await(received));
                    assertTrue(await(p.server().writeFile(channel, 0, 0)) == null, "an empty region completes");
                }
            });
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aRegionPastTheEndOfItsFileFailsTheStream() throws Exception {
        Path file = Files.createTempFile("squall-region", ".bin");
        try {
            Files.write(file, random(1000, 12));
            run(() -> {
                try (Pair p = connect(); FileChannel channel = FileChannel.open(file)) {
                    Future<Void> region = p.server().writeFile(channel, 500, 1000);
                    assertThrows(StreamClosedError.class, () -> await(region));
                    assertTrue(p.server().isClosed());
                }
            });
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void writeLaterWaitsForFlushOrTheNextWrite() {
        run(() -> {
            try (Pair p = connect()) {
                Future<Void> first = p.client().writeLater(ByteBuffer.wrap(bytes("ab")));
                Future<Void> second = p.client().writeLater(ByteBuffer.wrap(bytes("cd")));
                await(moment());
                await(moment());
                assertFalse(first.isDone(), "queued bytes wait for a flush");
                assertEquals(4, p.client().writeBufferSize());
                p.client().flush();
                await(second);
                assertTrue(first.isDone());
                assertEquals(0, p.client().writeBufferSize());
                assertEquals("abcd", str(await(p.server().readBytes(4))));
                Future<Void> third = p.client().writeLater(ByteBuffer.wrap(bytes("ef")));
                await(p.client().write(bytes("gh"))); // a write sends what was queued before it
                assertTrue(third.isDone());
                assertEquals("efgh", str(await(p.server().readBytes(4))));
            }
        });
    }

    @Test
    void tenProducersWithAThousandWritesEachAllComplete() {
        run(() -> {
            try (Pair p = connect()) {
                int producers = 10;
                int writes = 1000;
                int size = 5000;
                List<Future<Void>> done = new ArrayList<>();
                for (int i = 0; i < producers; i++) {
                    byte[] data = new byte[size];
                    Arrays.fill(data, (byte) i);
                    done.add(spawn(() -> {
                        for (int w = 0; w < writes; w++) {
                            await(p.server().write(data));
                        }
                    }));
                }
                long[] counts = new long[producers];
                ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
                for (long left = (long) producers * writes * size; left > 0; ) {
                    buffer.clear();
                    int n = await(p.client().readInto(buffer, true));
                    for (int i = 0; i < n; i++) {
                        counts[buffer.get(i)]++;
                    }
                    left -= n;
                }
                await(multi(done));
                for (long count : counts) {
                    assertEquals((long) writes * size, count);
                }
                assertFalse(p.server().writing());
            }
        });
    }

    @Test
    void writeBackPressureFailsWritesPastTheLimitAndKeepsTheStreamOpen() {
        run(() -> {
            int limit = 1 << 20;
            try (Pair p = connect(DEFAULTS, DEFAULTS.withMaxWriteBufferSize(limit))) {
                Future<Void> tooBig = p.server().write(new byte[limit + 1]);
                assertTrue(tooBig.isDone());
                assertInstanceOf(StreamBufferFullError.class, tooBig.exception());
                assertFalse(p.server().isClosed());

                // The client does not read: the kernel buffers fill, then the queue, then writes fail.
                byte[] chunk = random(256 * 1024, 8);
                List<Future<Void>> accepted = new ArrayList<>();
                Future<Void> refused = null;
                for (int i = 0; i < 1000 && refused == null; i++) {
                    Future<Void> f = p.server().write(chunk);
                    if (f.isFailed()) {
                        refused = f;
                    } else {
                        accepted.add(f);
                    }
                }
                assertTrue(refused != null, "a write must fail once " + limit + " bytes are queued");
                assertInstanceOf(StreamBufferFullError.class, refused.exception());
                assertFalse(p.server().isClosed());
                assertTrue(p.server().writing());

                for (int i = 0; i < accepted.size(); i++) {
                    assertArrayEquals(chunk, await(p.client().readBytes(chunk.length)), "chunk " + i);
                }
                await(multi(accepted));
                await(p.server().write(bytes("!")));
                assertEquals("!", str(await(p.client().readBytes(1))));
            }
        });
    }

    // ------------------------------------------------------------------ buffer limits

    @Test
    void smallBufferServesManyReadsWithoutOverReading() {
        run(() -> {
            int limit = 10 * 1024;
            try (Pair p = connect(DEFAULTS.withMaxBufferSize(limit), DEFAULTS)) {
                byte[] data = random(100 * 1024, 9);
                Future<Void> sent = p.server().write(data);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                for (int i = 0; i < 100; i++) {
                    got.write(await(p.client().readBytes(1024)));
                    assertTrue(p.client().bufferedBytes() <= limit, "buffered " + p.client().bufferedBytes());
                }
                await(sent);
                assertArrayEquals(data, got.toByteArray());
            }
        });
    }

    @Test
    void smallBufferServesManyDelimitedReads() {
        run(() -> {
            int limit = 10 * 1024;
            try (Pair p = connect(DEFAULTS.withMaxBufferSize(limit), DEFAULTS)) {
                byte[] line = new byte[1024];
                Arrays.fill(line, (byte) 'x');
                line[1023] = '\n';
                for (int i = 0; i < 100; i++) {
                    p.server().write(line);
                }
                for (int i = 0; i < 100; i++) {
                    assertArrayEquals(line, await(p.client().readUntil(bytes("\n"), 4096)));
                    assertTrue(p.client().bufferedBytes() <= limit);
                }
            }
        });
    }

    @Test
    void readerWithHalfTheDataInBufferReadsItInMegabytes() {
        run(() -> {
            try (Pair p = connect(DEFAULTS.withMaxBufferSize(5 << 20), DEFAULTS)) {
                byte[] data = random(10 << 20, 10);
                Future<Void> sent = p.server().write(data);
                for (int i = 0; i < 10; i++) {
                    assertArrayEquals(Arrays.copyOfRange(data, i << 20, (i + 1) << 20), await(p.client().readBytes(1 << 20)));
                }
                await(sent);
            }
        });
    }

    @Test
    void idleStreamStopsReadingAtItsLimit() {
        run(() -> {
            IOStreamOptions options = DEFAULTS.withMaxBufferSize(64 * 1024).withReadChunkSize(16 * 1024);
            try (Pair p = connect(options, DEFAULTS)) {
                p.client().setCloseCallback(() -> {}); // watches the socket while idle
                byte[] data = random(32 << 20, 11);
                Future<Void> sent = p.server().write(data);
                assertThrows(OperationTimeoutException.class, () -> await(withTimeout(Duration.ofMillis(300), sent)),
                        "the writer must block while the reader is idle");
                assertTrue(p.client().bufferedBytes() < 2 * options.effectiveReadChunkSize(),
                        "read ahead " + p.client().bufferedBytes());
                for (int off = 0; off < data.length; off += 32 * 1024) {
                    assertArrayEquals(Arrays.copyOfRange(data, off, off + 32 * 1024), await(p.client().readBytes(32 * 1024)));
                }
                await(sent);
            }
        });
    }

    @Test
    void pendingReadPastTheBufferLimitClosesTheStream() {
        run(() -> {
            try (Pair p = connect(DEFAULTS.withMaxBufferSize(1024), DEFAULTS)) {
                Future<byte[]> line = p.client().readUntil(bytes("\n"));
                p.server().write(new byte[4096]);
                StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(line));
                assertInstanceOf(StreamBufferFullError.class, e.getCause());
                assertTrue(p.client().isClosed());
            }
        });
    }

    @Test
    void readUntilCloseMayFillTheBufferExactly() {
        run(() -> {
            try (Pair p = connect(DEFAULTS.withMaxBufferSize(1024), DEFAULTS)) {
                byte[] data = random(1024, 12);
                await(p.server().write(data));
                p.server().close();
                assertArrayEquals(data, await(p.client().readUntilClose()));
            }
        });
    }

    @Test
    void readUntilClosePastTheBufferLimitFails() {
        run(() -> {
            try (Pair p = connect(DEFAULTS.withMaxBufferSize(1024), DEFAULTS)) {
                Future<byte[]> all = p.client().readUntilClose();
                await(p.server().write(new byte[1025]));
                p.server().close();
                StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(all));
                assertInstanceOf(StreamBufferFullError.class, e.getCause());
            }
        });
    }

    // ------------------------------------------------------------------ closing

    @Test
    void operationsOnAClosedStreamFailWithStreamClosedError() {
        run(() -> {
            try (Pair p = connect()) {
                p.client().close();
                p.client().close(); // idempotent
                assertTrue(p.client().isClosed());
                assertThrows(StreamClosedError.class, () -> await(p.client().write(bytes("x"))));
                assertThrows(StreamClosedError.class, () -> await(p.client().readBytes(1)));
                Future<Void> callback = closed(p.client());
                await(callback); // a callback set after the close still runs
                assertThrows(StreamClosedError.class, () -> await(p.server().readUntil(bytes("\n"))));
            }
        });
    }

    @Test
    void availableCountsWhatTheSocketHoldsWithoutWaitingForThePoll() {
        run(() -> {
            try (Pair p = connect()) {
                assertEquals(0, p.client().available());
                p.server().setNoDelay(true); // sent at once, not held back by Nagle behind unacknowledged bytes
                await(p.server().write(bytes("abc")));
                assertEquals(3, p.client().available(), "read from the socket now, not at the loop's next poll");
                assertEquals("abc", str(await(p.client().readBytes(3))));
                Future<byte[]> pending = p.client().readBytes(1);
                assertEquals(0, p.client().available(), "a pending read takes what comes");
                await(p.server().write(bytes("d")));
                assertEquals("d", str(await(pending)));
                p.server().close();
                await(closed(p.client())); // the end of the stream, with nothing buffered
                assertEquals(0, p.client().available());
            }
        });
    }

    @Test
    void shutdownOutputEndsTheWriteSideAndKeepsTheReadSide() {
        run(() -> {
            try (Pair p = connect()) {
                await(p.server().write(bytes("answer")));
                p.server().shutdownOutput();
                p.server().shutdownOutput(); // a second call does nothing
                StreamClosedError refused = assertThrows(StreamClosedError.class, () -> await(p.server().write(bytes("x"))));
                assertTrue(refused.getCause().getMessage().contains("shut down"), refused.getCause().getMessage());
                await(p.client().write(bytes("late")));
                assertEquals("late", str(await(p.server().readBytes(4))), "the server still reads");
                assertFalse(p.server().isClosed());
                assertEquals("answer", str(await(p.client().readUntilClose())), "the client reads the rest, then the end");
                assertThrows(StreamClosedError.class, () -> await(p.server().readBytes(1)));
                assertNull(p.server().error(), "the peer's close after a half-close is a clean end");
            }
        });
    }

    @Test
    void shutdownOutputRefusesWhileWrittenBytesWait() {
        run(() -> {
            try (Pair p = connect()) {
                Future<Void> held = p.server().writeLater(ByteBuffer.wrap(bytes("held")));
                IllegalStateException e = assertThrows(IllegalStateException.class, p.server()::shutdownOutput);
                assertTrue(e.getMessage().contains("4 bytes still to write"), e.getMessage());
                p.server().flush();
                await(held);
                p.server().shutdownOutput();
                assertEquals("held", str(await(p.client().readUntilClose())));
            }
        });
    }

    @Test
    void closeWithACauseRecordsIt() {
        run(() -> {
            try (Pair p = connect()) {
                Future<byte[]> read = p.client().readBytes(1);
                IllegalStateException cause = new IllegalStateException("timed out");
                p.client().close(cause);
                assertEquals(cause, p.client().error());
                StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(read));
                assertEquals(cause, e.getCause().getCause());
            }
        });
    }
}
