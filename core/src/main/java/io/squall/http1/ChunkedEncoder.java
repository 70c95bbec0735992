package io.squall.http1;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the chunked transfer coding (RFC 9112 §7.1), for the server's responses and the client's
 * request bodies alike: each piece of data becomes one chunk (its size in hexadecimal, CRLF, the data,
 * CRLF), and the body ends with the last chunk and no trailer. The counterpart of {@link ChunkedDecoder}.
 */
public final class ChunkedEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private ChunkedEncoder() {}

    /**
     * Adds the buffers of one chunk carrying {@code data} to {@code out}: the size line, {@code data}
     * itself (not copied), the closing CRLF. Nothing is added for empty data, which would end the body.
     */
    public static void addChunk(ByteBuffer data, List<ByteBuffer> out) {
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        out.add(sizeLine(n));
        out.add(data);
        out.add(chunkEnd());
    }

    /** The line that opens a chunk of {@code size} bytes (more than 0), for data written separately (a file region). */
    public static ByteBuffer sizeLine(long size) {
        return ByteBuffer.wrap((Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The CRLF that closes a chunk's data. */
    public static ByteBuffer chunkEnd() {
        return ByteBuffer.wrap(CRLF);
    }

    /** The last chunk, which ends a chunked body (without trailer fields): a new buffer to write. */
    public static ByteBuffer lastChunk() {
        return ByteBuffer.wrap(LAST_CHUNK);
    }
}
