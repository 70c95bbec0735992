package io.squall.http1;

import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http.syntax.HttpSyntax;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Incremental decoder of a chunked body (RFC 9112 §7.1), fed whatever byte slices arrive from the network.
 *
 * <pre>{@code
 * ChunkedDecoder decoder = new ChunkedDecoder(maxBodySize, data -> delegate.dataReceived(data));
 * while (!decoder.isDone()) {
 *     byte[] bytes = await(stream.readBytes(65536, true));
 *     int used = decoder.feed(bytes, 0, bytes.length);
 *     // bytes[used, bytes.length) belong to the next message on the connection
 * }
 * }</pre>
 *
 * <p>What it accepts, strictly, since framing disagreements between a proxy and a server are how requests
 * get smuggled:
 * <ul>
 *   <li>a chunk-size line of hexadecimal digits only (no sign, no {@code 0x}, no whitespace before it, no
 *       overflow of a {@code long}) ending with CRLF;</li>
 *   <li>chunk extensions ({@code ;name} or {@code ;name=value}, the value a token or a quoted string, with
 *       optional whitespace around {@code ;} and {@code =}) are checked and ignored; the size line with its
 *       extensions is limited to {@link #MAX_SIZE_LINE} bytes;</li>
 *   <li>each chunk's data must be followed by CRLF;</li>
 *   <li>the last chunk ({@code 0}) may be followed by trailer fields, parsed and validated like header
 *       fields into {@link #trailers()}, up to a size limit; the empty line after them ends the body.</li>
 * </ul>
 * Errors are {@link HttpInputException}s: 400 for malformed input, 413 when the decoded body would exceed
 * {@code maxBodySize} (detected from the chunk size, before its data arrives), 431 when the trailer
 * section exceeds its limit. After an error the decoder is unusable.
 *
 * <p>Decoding runs in time linear in the input and allocates nothing per byte: data is handed to the sink
 * as read-only views of the caller's array, valid only during the call. Not thread-safe.
 */
public final class ChunkedDecoder {
    /** The longest chunk-size line, extensions and CRLF included: 4096 bytes. */
    public static final int MAX_SIZE_LINE = 4096;
    /** The default limit on the trailer section, its final empty line included: 16 KiB. */
    public static final int DEFAULT_MAX_TRAILER_SIZE = 16384;

    private static final int COPY_CHUNK = 8192;

    private enum State { SIZE_LINE, DATA, DATA_CR, DATA_LF, TRAILER, DONE, FAILED }

    private final long maxBodySize;
    private final int maxTrailerSize;
    private final Consumer<ByteBuffer> sink;
    private State state = State.SIZE_LINE;
    /** The size line being read, or the whole trailer section so far. */
    private byte[] line = new byte[64];
    private int lineLength;
    /** Where the trailer line being read starts in {@link #line}. */
    private int trailerLineStart;
    private long remaining;
    private long bodySize;
    private HttpHeaders trailers = new HttpHeaders();
    private byte[] scratch;

    /**
     * A decoder with the default trailer limit.
     *
     * @param maxBodySize the largest decoded body accepted, in bytes
     * @param sink receives the body data, in order, as read-only buffers valid only during the call
     */
    public ChunkedDecoder(long maxBodySize, Consumer<ByteBuffer> sink) {
        this(maxBodySize, DEFAULT_MAX_TRAILER_SIZE, sink);
    }

    /**
     * A decoder.
     *
     * @param maxBodySize the largest decoded body accepted, in bytes
     * @param maxTrailerSize the largest trailer section accepted, in bytes, its final CRLF included
     * @param sink receives the body data, in order, as read-only buffers valid only during the call
     * @throws IllegalArgumentException if a limit is negative or {@code maxTrailerSize} is below 2
     */
    public ChunkedDecoder(long maxBodySize, int maxTrailerSize, Consumer<ByteBuffer> sink) {
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("maxBodySize must not be negative: " + maxBodySize);
        }
        if (maxTrailerSize < 2) {
            throw new IllegalArgumentException("maxTrailerSize must be at least 2 (the final CRLF): "
                    + maxTrailerSize);
        }
        this.maxBodySize = maxBodySize;
        this.maxTrailerSize = maxTrailerSize;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Decodes {@code buf[off, off + len)}, handing body data to the sink as it goes, and stops right
     * after the end of the chunked body.
     *
     * @return how many bytes were used: {@code len} unless the body ended within the slice, in which case
     *     the rest belongs to whatever follows the body on the connection
     * @throws HttpInputException if the input is malformed or over a limit
     * @throws IllegalStateException if an earlier call already failed
     */
    public int feed(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (state == State.FAILED) {
            throw new IllegalStateException("this chunked body was already found malformed");
        }
        try {
            return decode(buf, off, off + len) - off;
        } catch (HttpInputException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * Decodes the remaining bytes of {@code data} like {@link #feed(byte[], int, int)}, advancing its
     * position past the bytes used.
     */
    public void feed(ByteBuffer data) {
        if (data.hasArray()) {
            int used = feed(data.array(), data.arrayOffset() + data.position(), data.remaining());
            data.position(data.position() + used);
            return;
        }
        if (scratch == null) {
            scratch = new byte[COPY_CHUNK];
        }
        while (data.hasRemaining() && !isDone()) {
            int n = Math.min(scratch.length, data.remaining());
            data.get(data.position(), scratch, 0, n);
            int used = feed(scratch, 0, n);
            data.position(data.position() + used);
        }
    }

    /** Whether the whole body, trailers included, has been decoded. */
    public boolean isDone() {
        return state == State.DONE;
    }

    /** The number of body bytes announced by the chunk sizes read so far. */
    public long bodySize() {
        return bodySize;
    }

    /** The trailer fields; empty until {@link #isDone()}, and when the body had none. */
    public HttpHeaders trailers() {
        return trailers;
    }

    private int decode(byte[] buf, int i, int end) {
        while (i < end) {
            switch (state) {
                case SIZE_LINE -> {
                    int stop = lineStop(buf, i, end);
                    append(buf, i, stop);
                    i = stop;
                    if (line[lineLength - 1] == '\n') {
                        startChunk(parseSizeLine());
                        lineLength = 0;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    sink.accept(ByteBuffer.wrap(buf, i, n).slice().asReadOnlyBuffer());
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR, DATA_LF -> {
                    byte expected = state == State.DATA_CR ? (byte) '\r' : (byte) '\n';
                    if (buf[i] != expected) {
                        throw error("chunk data not followed by CRLF: found "
                                + HttpSyntax.describe(buf[i] & 0xFF) + " where " + HttpSyntax.describe(expected)
                                + " should be");
                    }
                    i++;
                    state = state == State.DATA_CR ? State.DATA_LF : State.SIZE_LINE;
                }
                case TRAILER -> {
                    int stop = lineStop(buf, i, end);
                    append(buf, i, stop);
                    i = stop;
                    if (line[lineLength - 1] == '\n') {
                        endTrailerLine();
                    }
                }
                case DONE -> {
                    return i;
                }
                case FAILED -> throw new IllegalStateException("unreachable: failed decoder fed");
            }
        }
        return i;
    }

    /** Just past the next LF in {@code [i, end)}, or {@code end}. */
    private static int lineStop(byte[] buf, int i, int end) {
        for (int j = i; j < end; j++) {
            if (buf[j] == '\n') {
                return j + 1;
            }
        }
        return end;
    }

    /** Appends to {@link #line}, within the limit of the size line or of the trailer section. */
    private void append(byte[] buf, int from, int to) {
        boolean trailer = state == State.TRAILER;
        int limit = trailer ? maxTrailerSize : MAX_SIZE_LINE;
        int n = to - from;
        if (n > limit - lineLength) {
            throw trailer
                    ? new HttpInputException(431, "chunked trailer section longer than " + maxTrailerSize + " bytes")
                    : error("chunk-size line longer than " + MAX_SIZE_LINE + " bytes");
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.min(limit, Math.max(lineLength + n, line.length * 2)));
        }
        System.arraycopy(buf, from, line, lineLength, n);
        lineLength += n;
    }

    private void startChunk(long size) {
        if (size > maxBodySize - bodySize) {
            throw new HttpInputException(413, "chunked body larger than the limit of " + maxBodySize + " bytes");
        }
        bodySize += size;
        if (size == 0) {
            state = State.TRAILER;
            trailerLineStart = 0;
        } else {
            remaining = size;
            state = State.DATA;
        }
    }

    /** The chunk size in {@link #line}, after checking the extensions and the CRLF. */
    private long parseSizeLine() {
        int end = lineLength - 1;
        if (end == 0 || line[end - 1] != '\r') {
            throw error("chunk-size line ends with a bare LF instead of CRLF: " + snippet(0, end));
        }
        end--;
        long size = 0;
        int i = 0;
        for (int digit; i < end && (digit = HttpSyntax.hexValue(line[i])) >= 0; i++) {
            if (size > Long.MAX_VALUE >> 4) {
                throw error("chunk size " + snippet(0, end) + " is too large");
            }
            size = size << 4 | digit;
        }
        if (i == 0) {
            throw error("chunk size is not a hexadecimal number: " + snippet(0, end));
        }
        checkExtensions(i, end);
        return size;
    }

    /** Checks {@code *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )} in line[i, end). */
    private void checkExtensions(int i, int end) {
        while (i < end) {
            i = HttpSyntax.skipWhitespace(line, i, end);
            if (i == end || line[i] != ';') {
                throw error("invalid character " + (i == end ? "(whitespace)" : HttpSyntax.describe(line[i] & 0xFF))
                        + " after the chunk size in " + snippet(0, end));
            }
            i = HttpSyntax.skipWhitespace(line, i + 1, end);
            int nameEnd = skipToken(i, end);
            if (nameEnd == i) {
                throw error("chunk extension without a name in " + snippet(0, end));
            }
            i = nameEnd;
            int eq = HttpSyntax.skipWhitespace(line, i, end);
            if (eq < end && line[eq] == '=') {
                int value = HttpSyntax.skipWhitespace(line, eq + 1, end);
                i = value < end && line[value] == '"' ? skipQuotedString(value, end) : skipToken(value, end);
                if (i == value) {
                    throw error("chunk extension without a value after '=' in " + snippet(0, end));
                }
            }
        }
    }

    private int skipToken(int i, int end) {
        while (i < end && HttpSyntax.isTchar(line[i] & 0xFF)) {
            i++;
        }
        return i;
    }

    /** Just past the quoted string starting at {@code line[i] == '"'}. */
    private int skipQuotedString(int i, int end) {
        for (int j = i + 1; j < end; j++) {
            int c = line[j] & 0xFF;
            if (c == '"') {
                return j + 1;
            }
            if (c == '\\') {
                j++;
                if (j == end || !HttpSyntax.isFieldValueByte(line[j] & 0xFF)) {
                    break;
                }
            } else if (!HttpSyntax.isFieldValueByte(c)) {
                break;
            }
        }
        throw error("unterminated or invalid quoted string in chunk extension " + snippet(0, end));
    }

    /** A trailer line ended: check its CRLF; the empty line ends the body. */
    private void endTrailerLine() {
        int lf = lineLength - 1;
        if (lf == trailerLineStart || line[lf - 1] != '\r') {
            throw error("trailer line ends with a bare LF instead of CRLF: " + snippet(trailerLineStart, lf));
        }
        if (lf - 1 > trailerLineStart) {
            trailerLineStart = lineLength;
            return;
        }
        if (lineLength > 2) {
            HttpHeaders fields = new HttpHeaders();
            new FieldLines(line, 0, lineLength, FieldLines.Mode.TRAILER).readFields(fields);
            trailers = fields;
        }
        line = null;
        state = State.DONE;
    }

    private HttpInputException error(String message) {
        return new HttpInputException(HttpInputException.BAD_REQUEST, "malformed chunked body: " + message);
    }

    private String snippet(int from, int to) {
        return HttpSyntax.snippet(line, from, to);
    }
}
