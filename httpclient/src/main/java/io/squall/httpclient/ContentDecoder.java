package io.squall.httpclient;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Incremental decoder of a {@code gzip} (RFC 1952, members in sequence) or {@code deflate} (zlib, RFC
 * 1950, or raw deflate as some servers send) response body, fed the bytes as they arrive. It hands out
 * decompressed data in pieces of at most {@code pieceSize} bytes, so that the caller can enforce its body
 * limit on the decompressed size after every piece: a small "bomb" stops within one piece of the limit
 * instead of filling memory. Gzip trailers (CRC-32 and size) are checked. Not thread-safe.
 */
final class ContentDecoder {
    private static final int MAX_GZIP_HEADER = 4096;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private enum State { GZIP_HEADER, DEFLATE_START, INFLATE, GZIP_TRAILER, DONE }

    private final boolean gzip;
    private final CRC32 crc = new CRC32();
    private final byte[] scratch;
    private Inflater inflater;
    private State state;
    /** Header or trailer bytes gathered so far. */
    private byte[] pending = new byte[16];
    private int pendingLength;
    private long memberSize;

    private ContentDecoder(boolean gzip, int pieceSize) {
        this.gzip = gzip;
        this.scratch = new byte[pieceSize];
        this.state = gzip ? State.GZIP_HEADER : State.DEFLATE_START;
    }

    /** A decoder for the {@code Content-Encoding} value, or null if it is not gzip or deflate. */
    static ContentDecoder forEncoding(String contentEncoding, int pieceSize) {
        if (contentEncoding == null) {
            return null;
        }
        return switch (contentEncoding.strip().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new ContentDecoder(true, pieceSize);
            case "deflate" -> new ContentDecoder(false, pieceSize);
            default -> null;
        };
    }

    /**
     * Decodes {@code buf[off, off + len)}, handing decompressed pieces to {@code out} (each a fresh array).
     *
     * @throws DataFormatException if the data is not valid for the coding
     */
    void feed(byte[] buf, int off, int len, Consumer<byte[]> out) throws DataFormatException {
        int end = off + len;
        int i = off;
        while (i < end) {
            switch (state) {
                case GZIP_HEADER -> i = readGzipHeader(buf, i, end);
                case DEFLATE_START -> i = startDeflate(buf, i, end);
                case INFLATE -> i = inflate(buf, i, end, out);
                case GZIP_TRAILER -> i = readGzipTrailer(buf, i, end);
                case DONE -> throw new DataFormatException((end - i) + " bytes after the end of the compressed data");
            }
        }
    }

    /**
     * Checks that the compressed data ended where the body did: after a whole deflate stream or whole gzip
     * members. An empty body is accepted too, as zlib-based clients do, since servers label empty bodies
     * gzip as well.
     *
     * @throws DataFormatException if it was cut short
     */
    void finish() throws DataFormatException {
        // With nothing pending, GZIP_HEADER is "between members" (or before any) and DEFLATE_START "no input".
        boolean atBoundary = pendingLength == 0 && (state == State.GZIP_HEADER || state == State.DEFLATE_START);
        if (state != State.DONE && !atBoundary) {
            throw new DataFormatException("compressed body ended early (" + state.name().toLowerCase(Locale.ROOT)
                    .replace('_', ' ') + ")");
        }
        end();
    }

    /** Releases the native inflater. */
    void end() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private int readGzipHeader(byte[] buf, int i, int end) throws DataFormatException {
        while (i < end) {
            append(buf[i++]);
            int length = gzipHeaderLength();
            if (length > 0) {
                pendingLength = 0;
                crc.reset();
                memberSize = 0;
                newInflater(true);
                state = State.INFLATE;
                return i;
            }
            if (pendingLength > MAX_GZIP_HEADER) {
                throw new DataFormatException("gzip header longer than " + MAX_GZIP_HEADER + " bytes");
            }
        }
        return i;
    }

    /** The length of the gzip header in {@link #pending} if it is complete, else 0. */
    private int gzipHeaderLength() throws DataFormatException {
        byte[] h = pending;
        int n = pendingLength;
        if (n >= 1 && (h[0] & 0xFF) != 0x1f || n >= 2 && (h[1] & 0xFF) != 0x8b) {
            throw new DataFormatException("not gzip data (bad magic number)");
        }
        if (n >= 3 && h[2] != 8) {
            throw new DataFormatException("unsupported gzip compression method " + h[2]);
        }
        if (n < 10) {
            return 0;
        }
        int flags = h[3] & 0xFF;
        int p = 10;
        if ((flags & FEXTRA) != 0) {
            if (n < p + 2) {
                return 0;
            }
            p += 2 + ((h[p] & 0xFF) | (h[p + 1] & 0xFF) << 8);
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                while (p < n && h[p] != 0) {
                    p++;
                }
                if (p >= n) {
                    return 0;
                }
                p++;
            }
        }
        if ((flags & FHCRC) != 0) {
            p += 2;
        }
        return n >= p ? p : 0;
    }

    private int startDeflate(byte[] buf, int i, int end) {
        append(buf[i]);
        if (pendingLength < 2) {
            return i + 1;
        }
        int cmf = pending[0] & 0xFF;
        int flg = pending[1] & 0xFF;
        boolean zlib = (cmf & 0x0F) == 8 && ((cmf << 8) | flg) % 31 == 0;
        newInflater(!zlib);
        inflater.setInput(pending, 0, 2);
        pendingLength = 0;
        state = State.INFLATE;
        return i + 1;
    }

    private int inflate(byte[] buf, int i, int end, Consumer<byte[]> out) throws DataFormatException {
        boolean inputFromBuf = false;
        while (true) {
            if (inflater.needsInput()) {
                if (i == end) {
                    return end;
                }
                inflater.setInput(buf, i, end - i);
                i = end;
                inputFromBuf = true;
            }
            int n = inflater.inflate(scratch);
            if (n > 0) {
                if (gzip) {
                    crc.update(scratch, 0, n);
                    memberSize += n;
                }
                out.accept(Arrays.copyOf(scratch, n));
            }
            if (inflater.finished()) {
                state = gzip ? State.GZIP_TRAILER : State.DONE;
                return inputFromBuf ? end - inflater.getRemaining() : i;
            }
            if (inflater.needsDictionary()) {
                throw new DataFormatException("deflate data needs a preset dictionary");
            }
        }
    }

    private int readGzipTrailer(byte[] buf, int i, int end) throws DataFormatException {
        while (i < end && pendingLength < 8) {
            append(buf[i++]);
        }
        if (pendingLength == 8) {
            long expectedCrc = le32(0);
            long expectedSize = le32(4);
            if (expectedCrc != crc.getValue()) {
                throw new DataFormatException("gzip CRC-32 mismatch");
            }
            if (expectedSize != (memberSize & 0xFFFFFFFFL)) {
                throw new DataFormatException("gzip size mismatch");
            }
            pendingLength = 0;
            state = State.GZIP_HEADER; // another member may follow
        }
        return i;
    }

    private long le32(int at) {
        return (pending[at] & 0xFFL) | (pending[at + 1] & 0xFFL) << 8 | (pending[at + 2] & 0xFFL) << 16
                | (pending[at + 3] & 0xFFL) << 24;
    }

    private void append(byte b) {
        if (pendingLength == pending.length) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        }
        pending[pendingLength++] = b;
    }

    private void newInflater(boolean nowrap) {
        end();
        inflater = new Inflater(nowrap);
    }
}
