package io.squall.iostream;

import io.squall.concurrent.Future;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one pending read of a stream: what it waits for and the future it completes. The stream offers
 * it the buffered bytes with {@link #poll}; the request takes what it needs once it can complete.
 *
 * @param <T> the result type
 */
abstract sealed class ReadRequest<T> {
    final Future<T> future = new Future<>();
    /** Whether an unsatisfiable read fails alone, leaving the stream open (instead of closing it). */
    boolean keepsStreamOpen;

    /**
     * Takes this read's result from {@code buffer} if it can complete now; returns null otherwise.
     *
     * @throws UnsatisfiableReadError if it can never complete within its {@code maxBytes}
     */
    abstract T poll(ReadBuffer buffer) throws UnsatisfiableReadError;

    /** The result to complete with once the stream has closed and {@link #poll} gave nothing, or null to fail. */
    T atClose(ReadBuffer buffer) {
        return null;
    }

    /** A buffer the stream should read into directly, bypassing {@code buffer}, or null. */
    ByteBuffer directTarget(ReadBuffer buffer) {
        return null;
    }

    /** Records {@code n} bytes read straight into {@link #directTarget}. */
    void directFilled(int n) {
        throw new IllegalStateException("no direct target");
    }

    /** {@code readBytes(n, partial)}. */
    static final class Bytes extends ReadRequest<byte[]> {
        private final int count;
        private final boolean partial;

        Bytes(int count, boolean partial) {
            this.count = count;
            this.partial = partial;
        }

        @Override
        byte[] poll(ReadBuffer buffer) {
            int size = buffer.size();
            if (size >= count || partial && size > 0) {
                return buffer.take(Math.min(size, count));
            }
            return null;
        }
    }

    /** {@code readUntil(delimiter, maxBytes)}: each poll searches only the bytes not searched before. */
    static final class Delimiter extends ReadRequest<byte[]> {
        private final byte[] delimiter;
        private final int maxBytes;
        private int searched;

        Delimiter(byte[] delimiter, int maxBytes) {
            this.delimiter = delimiter;
            this.maxBytes = maxBytes;
        }

        @Override
        byte[] poll(ReadBuffer buffer) throws UnsatisfiableReadError {
            int size = buffer.size();
            int at = buffer.indexOf(delimiter, Math.max(0, searched - delimiter.length + 1));
            if (at >= 0) {
                int end = at + delimiter.length;
                checkLimit(end);
                return buffer.take(end);
            }
            searched = size;
            checkLimit(size);
            return null;
        }

        private void checkLimit(int length) throws UnsatisfiableReadError {
            if (length > maxBytes) {
                throw new UnsatisfiableReadError("delimiter " + describe(delimiter) + " not found within " + maxBytes + " bytes");
            }
        }

        private static String describe(byte[] delimiter) {
            return '"' + new String(delimiter, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n") + '"';
        }
    }

    /** {@code readUntilRegex(pattern, maxBytes)}: matched over an ISO-8859-1 view of the whole buffer. */
    static final class Regex extends ReadRequest<byte[]> {
        private final Pattern pattern;
        private final int maxBytes;

        Regex(Pattern pattern, int maxBytes) {
            this.pattern = pattern;
            this.maxBytes = maxBytes;
        }

        @Override
        byte[] poll(ReadBuffer buffer) throws UnsatisfiableReadError {
            Matcher m = pattern.matcher(buffer.latin1());
            int length = m.find() ? m.end() : -1;
            if (length > maxBytes || length < 0 && buffer.size() > maxBytes) {
                throw new UnsatisfiableReadError("pattern /" + pattern + "/ not matched within " + maxBytes + " bytes");
            }
            return length < 0 ? null : buffer.take(length);
        }
    }

    /** {@code readInto(target, partial)}: buffered bytes first, then straight from the socket. */
    static final class Into extends ReadRequest<Integer> {
        private final ByteBuffer target;
        private final boolean partial;
        private int filled;

        Into(ByteBuffer target, boolean partial) {
            this.target = target;
            this.partial = partial;
        }

        @Override
        Integer poll(ReadBuffer buffer) {
            filled += buffer.transferTo(target);
            return !target.hasRemaining() || partial && filled > 0 ? filled : null;
        }

        @Override
        ByteBuffer directTarget(ReadBuffer buffer) {
            return buffer.isEmpty() ? target : null;
        }

        @Override
        void directFilled(int n) {
            filled += n;
        }
    }

    /** {@code readUntilClose()}: everything until the stream closes. */
    static final class UntilClose extends ReadRequest<byte[]> {
        @Override
        byte[] poll(ReadBuffer buffer) {
            return null;
        }

        @Override
        byte[] atClose(ReadBuffer buffer) {
            return buffer.takeAll();
        }
    }
}
