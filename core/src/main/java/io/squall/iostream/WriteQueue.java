package io.squall.iostream;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes a stream was asked to write that its transport has not taken yet, as the callers' own
 * buffers (never copied). {@link #prepareBatch} picks the next gathering write: at most 64 buffers and
 * about 1 MiB, a large buffer being sliced, because the JDK copies a heap buffer whole into a
 * temporary direct buffer before writing it however little the kernel then accepts.
 */
final class WriteQueue {
    private static final int MAX_BATCH_BUFFERS = 64;
    private static final int MAX_BATCH_BYTES = 1 << 20;

    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
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

    /** The bytes queued. */
    long size() {
        return size;
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
        for (ByteBuffer buffer : buffers) {
            if (batchSize == MAX_BATCH_BUFFERS || batchBytes == MAX_BATCH_BYTES) {
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
        ByteBuffer head;
        while ((head = buffers.peekFirst()) != null && !head.hasRemaining()) {
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
