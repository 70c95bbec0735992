package io.squall.http1;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.http.HttpInputException;
import io.squall.iostream.IOStream;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Reads message heads (requests for a server, responses for a client) off a connection's stream in time
 * linear in their size, however the peer splits them into packets: each byte is scanned once, where a
 * regular expression over the buffer would rescan it on every arrival (quadratic for a head trickled in
 * byte by byte).
 *
 * <p>A head ends at the first empty line after the start line; lines may end with CRLF or a bare LF
 * here, so that a server's {@link HttpParser} can reject a bare LF with 400 instead of the connection
 * waiting for a CRLF CRLF that never comes (and a client accepts it, as RFC 9112 §2.2 allows). Empty lines
 * before the start line are dropped (§2.2). Bytes read past the head (a body, pipelined messages) are put
 * back into the stream. Used in the connection's coroutine.
 */
public final class HeadReader {
    private final IOStream stream;
    private final int maxHeaderSize;

    /** A reader of heads up to {@code maxHeaderSize} bytes from {@code stream}. */
    public HeadReader(IOStream stream, int maxHeaderSize) {
        this.stream = stream;
        this.maxHeaderSize = maxHeaderSize;
    }

    /**
     * Reads the next head, from its start line through the empty line that ends it.
     *
     * @param read how each read of up to {@code n} bytes is made (so that the caller can bound it in time)
     * @throws HttpInputException with 431 if more than {@code maxHeaderSize} bytes arrive without the head
     *     ending (dropped empty lines count too)
     * @throws io.squall.iostream.StreamClosedError if the stream closes first
     */
    public byte[] read(IntFunction<Future<byte[]>> read) {
        return read(read.apply(firstReadSize()), read);
    }

    /**
     * How many bytes the first read of a head asks for: one more than {@code maxHeaderSize}, so that an
     * oversized head is told from one that just fits.
     */
    public int firstReadSize() {
        return maxHeaderSize + 1;
    }

    /**
     * Reads the next head as {@link #read(IntFunction)} does, its first piece being the result of
     * {@code firstPiece}, a read of up to {@link #firstReadSize()} bytes already started (by a caller that
     * waits for it without a coroutine).
     */
    public byte[] read(Future<byte[]> firstPiece, IntFunction<Future<byte[]>> read) {
        byte[] buf = null; // the first piece read
        int length = 0;
        int headStart = 0;
        int lineStart = 0;
        int scanned = 0;
        Future<byte[]> next = firstPiece;
        while (true) {
            byte[] piece = await(next != null ? next : read.apply(maxHeaderSize + 1 - length));
            next = null;
            if (length == 0) {
                buf = piece;
            } else {
                if (length + piece.length > buf.length) { // grow by doubling: linear in total
                    buf = Arrays.copyOf(buf, Math.max(length + piece.length, Math.min(maxHeaderSize + 1, buf.length * 2)));
                }
                System.arraycopy(piece, 0, buf, length, piece.length);
            }
            length += piece.length;
            for (; scanned < length; scanned++) {
                if (buf[scanned] != '\n') {
                    continue;
                }
                int lineLength = scanned - lineStart;
                boolean empty = lineLength == 0 || lineLength == 1 && buf[lineStart] == '\r';
                if (empty && lineStart == headStart) {
                    headStart = scanned + 1; // an empty line before the request line
                } else if (empty) {
                    int end = scanned + 1;
                    if (end < length) {
                        stream.unread(buf, end, length - end);
                    }
                    return headStart == 0 && end == buf.length ? buf : Arrays.copyOfRange(buf, headStart, end);
                }
                lineStart = scanned + 1;
            }
            if (length > maxHeaderSize) {
                throw new HttpInputException(431, "message head larger than " + maxHeaderSize + " bytes");
            }
        }
    }
}
