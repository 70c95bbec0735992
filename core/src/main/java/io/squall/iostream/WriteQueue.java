package io.squall.iostream;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes a stream was asked to write that its transport has not taken yet, as the callers' own
 * buffers (never copied) and {@link FileRegion}s (written from the file, never held). {@link #prepareBatch}
 * picks the next gathering write: at most 64 buffers and about 1 MiB, a large buffer being sliced, because
 * the JDK copies a heap buffer whole into a temporary direct buffer before writing it however little the
 * kernel then accepts. A batch stops before a file region; a region at the head is written on its own.
 */
final class WriteQueue {
    private static final int MAX_BATCH_BUFFERS = 64;
    private static final int MAX_BATCH_BYTES = 1 << 20;

    /**
     * {@link ByteBuffer}s and {@link FileRegion}s, in order; sized for the few a stream mostly has queued
     * (an idle connection keeps it, empty), grown by bursts.
     */
    private final ArrayDeque<Object> buffers = new ArrayDeque<>(2);
    /** Grown as bursts need, up to {@link #MAX_BATCH_BUFFERS}: most streams never write more than two at once. */
    private ByteBuffer[] batch = new ByteBuffer[2];
    private int batchSize;
    private long batchBytes;
    private ByteBuffer slice;
    private ByteBuffer sliceOf;
    private long size;

    boolean isEmpty() {
        return buffers.isEmpty();
    }

    /** The bytes queued in buffers (file regions hold no memory and do not count). */
    long size() {
        return size;
    }

    /** Queues a file region; an empty one is ignored. */
    void add(FileRegion region) {
        if (region.remaining() > 0) {
            buffers.add(region);
        }
    }

    /** The file region at the head of the queue, or null if the head is a buffer (or nothing). */
    FileRegion headRegion() {
        return buffers.peekFirst() instanceof FileRegion region ? region : null;
    }

    /** Accounts for {@code n} bytes of the head region written; returns whether it is all written (and dropped). */
    boolean consumedRegion(long n) {
        FileRegion region = (FileRegion) buffers.getFirst();
        region.advance(n);
        if (region.remaining() == 0) {
            buffers.pollFirst();
            return true;
        }
        return false;
    }

    /** Queues the remaining bytes of {@code buffer}; an empty buffer is ignored. */
    void add(ByteBuffer buffer) {
        if (buffer.hasRemaining()) {
            buffers.add(buffer);
            size += buffer.remaining();
        }
    }

    /** Chooses the buffers of the next gathering write: {@link #batch()}[0, {@link #batchSize()}). */
    void prepareBatch() {
        batchSize = 0;
        batchBytes = 0;
        for (Object entry : buffers) {
            if (batchSize == MAX_BATCH_BUFFERS || batchBytes == MAX_BATCH_BYTES || !(entry instanceof ByteBuffer buffer)) {
                break;
            }
            if (batchSize == batch.length) {
                batch = Arrays.copyOf(batch, Math.min(MAX_BATCH_BUFFERS, 2 * batch.length));
            }
            int take = (int) Math.min(buffer.remaining(), MAX_BATCH_BYTES - batchBytes);
            if (take < buffer.remaining()) {
                slice = buffer.slice(buffer.position(), take);
                sliceOf = buffer;
                batch[batchSize++] = slice;
                batchBytes += take;
                break;
            }
            batch[batchSize++] = buffer;
            batchBytes += take;
        }
    }

    ByteBuffer[] batch() {
        return batch;
    }

    int batchSize() {
        return batchSize;
    }

    /** Accounts for a write of the batch that took {@code n} bytes; returns whether it took all of them. */
    boolean consumed(long n) {
        if (slice != null) {
            sliceOf.position(sliceOf.position() + slice.position());
            slice = null;
            sliceOf = null;
        }
        Arrays.fill(batch, 0, batchSize, null);
        while (buffers.peekFirst() instanceof ByteBuffer head && !head.hasRemaining()) {
            buffers.pollFirst();
        }
        size -= n;
        return n == batchBytes;
    }

    /** Drops everything queued. */
    void clear() {
        buffers.clear();
        size = 0;
    }
}
