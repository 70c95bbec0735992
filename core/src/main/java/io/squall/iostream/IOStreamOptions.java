package io.squall.iostream;

/**
 * Buffer limits of an {@link IOStream}: Tornado's {@code max_buffer_size}, {@code read_chunk_size} and
 * {@code max_write_buffer_size}.
 *
 * <p>All limits are bounded by default ({@link #DEFAULTS}); unlike Tornado, the write buffer is bounded
 * too. Change one field with a wither: {@code IOStreamOptions.DEFAULTS.withMaxBufferSize(1 << 20)}.
 *
 * @param maxBufferSize the most bytes a stream holds for its reader (default 100 MiB). A pending read
 *     that cannot complete within this many bytes closes the stream with a {@link StreamBufferFullError};
 *     with no read pending, the stream stops reading from the socket instead (back-pressure).
 * @param readChunkSize the most bytes taken from the socket in one read (default 64 KiB); the stream
 *     uses {@code min(readChunkSize, maxBufferSize / 2)}, as Tornado does. It is also how far a stream
 *     reads ahead while no read is pending.
 * @param maxWriteBufferSize the most bytes a stream queues for writing that the kernel has not accepted
 *     yet (default 64 MiB; {@link Integer#MAX_VALUE} for practically unlimited). A write that would take
 *     the queue past it fails with a {@link StreamBufferFullError} and queues nothing.
 */
public record IOStreamOptions(int maxBufferSize, int readChunkSize, int maxWriteBufferSize) {
    /** Tornado's default {@code max_buffer_size}: 100 MiB. */
    public static final int DEFAULT_MAX_BUFFER_SIZE = 100 * 1024 * 1024;
    /** Tornado's default {@code read_chunk_size}: 64 KiB. */
    public static final int DEFAULT_READ_CHUNK_SIZE = 64 * 1024;
    /** Squall's default write-queue bound: 64 MiB (Tornado's is unlimited). */
    public static final int DEFAULT_MAX_WRITE_BUFFER_SIZE = 64 * 1024 * 1024;

    /** The default limits: 100 MiB read buffer, 64 KiB reads, 64 MiB write queue. */
    public static final IOStreamOptions DEFAULTS =
            new IOStreamOptions(DEFAULT_MAX_BUFFER_SIZE, DEFAULT_READ_CHUNK_SIZE, DEFAULT_MAX_WRITE_BUFFER_SIZE);

    /**
     * Validates the limits.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public IOStreamOptions {
        requirePositive(maxBufferSize, "maxBufferSize");
        requirePositive(readChunkSize, "readChunkSize");
        requirePositive(maxWriteBufferSize, "maxWriteBufferSize");
    }

    /** These options with {@code maxBufferSize} replaced. */
    public IOStreamOptions withMaxBufferSize(int maxBufferSize) {
        return new IOStreamOptions(maxBufferSize, readChunkSize, maxWriteBufferSize);
    }

    /** These options with {@code readChunkSize} replaced. */
    public IOStreamOptions withReadChunkSize(int readChunkSize) {
        return new IOStreamOptions(maxBufferSize, readChunkSize, maxWriteBufferSize);
    }

    /** These options with {@code maxWriteBufferSize} replaced. */
    public IOStreamOptions withMaxWriteBufferSize(int maxWriteBufferSize) {
        return new IOStreamOptions(maxBufferSize, readChunkSize, maxWriteBufferSize);
    }

    /** The size of one socket read: {@code readChunkSize}, capped at half of {@code maxBufferSize}. */
    public int effectiveReadChunkSize() {
        return Math.min(readChunkSize, Math.max(1, maxBufferSize / 2));
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
