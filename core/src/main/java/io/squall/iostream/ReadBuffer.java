package io.squall.iostream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes a stream has received and its reader has not consumed: a growable array with a start and
 * an end. Consuming moves the start; room is made by compacting to the front before growing.
 *
 * <p>An empty buffer holds no array: an idle connection costs no buffer memory (10,000 of them waiting
 * for a slow answer would otherwise keep 10,000 arrays). Bytes arriving in an empty buffer get an array of
 * their own exact size, which a read taking all of them receives as it is, without a copy. Confined to one
 * loop.
 */
final class ReadBuffer {
    private static final byte[] EMPTY = new byte[0];

    private byte[] data = EMPTY;
    private int start;
    private int end;

    int size() {
        return end - start;
    }

    /** The length of the array held, for tests: 0 whenever the buffer is empty. */
    int capacity() {
        return data.length;
    }

    boolean isEmpty() {
        return end == start;
    }

    /** Appends the remaining bytes of {@code src}, consuming them. */
    void append(ByteBuffer src) {
        int n = src.remaining();
        ensureRoom(n);
        src.get(data, end, n);
        end += n;
    }

    /** Puts {@code len} bytes of {@code src} in front of the buffered ones. */
    void prepend(byte[] src, int off, int len) {
        if (start >= len) {
            start -= len;
        } else if (len + size() <= data.length) { // room enough: move what is buffered, keep the array
            int size = size();
            System.arraycopy(data, start, data, len, size);
            start = 0;
            end = len + size;
        } else {
            int size = size();
            byte[] joined = new byte[len + size];
            System.arraycopy(data, start, joined, len, size);
            data = joined;
            start = 0;
            end = len + size;
        }
        System.arraycopy(src, off, data, start, len);
    }

    /** Removes and returns the first {@code n} bytes: the array itself if they fill it exactly. */
    byte[] take(int n) {
        if (start == 0 && n == end && end == data.length) {
            byte[] whole = data;
            data = EMPTY;
            end = 0;
            return whole;
        }
        byte[] out = Arrays.copyOfRange(data, start, start + n);
        consume(n);
        return out;
    }

    /** Removes and returns everything. */
    byte[] takeAll() {
        return take(size());
    }

    /** Moves as many bytes as fit into {@code dst}; returns how many. */
    int transferTo(ByteBuffer dst) {
        int n = Math.min(size(), dst.remaining());
        dst.put(data, start, n);
        consume(n);
        return n;
    }

    /**
     * The offset (from the first buffered byte) where {@code delimiter} starts, searching from offset
     * {@code from}, or -1.
     */
    int indexOf(byte[] delimiter, int from) {
        byte first = delimiter[0];
        int last = end - delimiter.length;
        for (int i = start + from; i <= last; i++) {
            if (data[i] == first && Arrays.equals(data, i + 1, i + delimiter.length, delimiter, 1, delimiter.length)) {
                return i - start;
            }
        }
        return -1;
    }

    /** The buffered bytes as ISO-8859-1 characters, without copying; valid until the buffer changes. */
    CharSequence latin1() {
        return new Latin1View(data, start, end);
    }

    private void consume(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
            data = EMPTY;
        }
    }

    private void ensureRoom(int n) {
        if (data.length - end >= n) {
            return;
        }
        int size = size();
        if (data.length - size >= n) {
            System.arraycopy(data, start, data, 0, size);
        } else {
            int capacity = Math.max(size + n, (int) Math.min(Integer.MAX_VALUE - 8, 2L * data.length));
            byte[] grown = new byte[capacity];
            System.arraycopy(data, start, grown, 0, size);
            data = grown;
        }
        start = 0;
        end = size;
    }

    /** A read-only ISO-8859-1 view of a byte range, for regular expressions. */
    private record Latin1View(byte[] bytes, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[from + index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int s, int e) {
            return new Latin1View(bytes, from + s, from + e);
        }

        @Override
        public String toString() {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
