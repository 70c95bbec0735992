package io.squall.httpserver;

import io.squall.concurrent.Future;
import io.squall.http.HttpHeaders;
import io.squall.http.ResponseStartLine;
import io.squall.http.internal.TrustedHeaders;
import io.squall.http.syntax.HttpSyntax;
import io.squall.http1.ChunkedEncoder;
import io.squall.http1.ContentLength;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes one response of an HTTP/1.1 exchange onto its connection's stream: decides the framing from
 * the head (Content-Length, chunked, or the end of the connection), encodes the head into one array,
 * counts the body against a declared length, frames chunks, and sends everything in order.
 *
 * <p><b>Large bodies.</b> The stream bounds what it holds unsent ({@code maxWriteBufferSize}, 64 MiB by
 * default); a response body of any size, or any number of writes not waited for, goes out in slices: the
 * stream is given at most {@link #SLICE} unsent bytes, and each further slice once the one before it
 * reached the kernel. The slices are views of the application's own
 * buffers, so a 1 GiB body costs no copy, and what waits is held here, in order, rather than in the
 * stream: writes made while a slice is under way queue behind it.
 */
final class Http1ResponseEncoder {
    private static final byte[] STATUS_LINE_PREFIX = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
    /** The largest first body piece copied into the head's array rather than written as a buffer of its own. */
    private static final int MAX_INLINE_BODY = 1024;
    /** The most bytes a write hands the stream at once; more goes out in slices, one after the other. */
    static final int SLICE = 1 << 20;

    /**
     * What waits for the slice before it to reach the kernel: bytes given to {@link #send}, or a file
     * region given to {@link #writeFile} ({@code file} not null), which the stream sends without
     * copying and without counting it toward its bound.
     */
    private record Pending(ByteBuffer[] data, FileChannel file, long position, long count, Future<Void> done) {}

    private final Http1ServerExchange exchange;
    private boolean started;
    private boolean finished;
    private boolean bodyless;
    private boolean chunked;
    private long expectedLength = -1;
    private long written;
    /** The future of the last bytes sent (or queued): what {@link #finish} waits for. */
    private Future<Void> lastWrite;
    /** Writes that wait behind a slice under way, oldest first; null while nothing waits. */
    private ArrayDeque<Pending> backlog;

    Http1ResponseEncoder(Http1ServerExchange exchange) {
        this.exchange = exchange;
    }

    boolean started() {
        return started;
    }

    boolean finished() {
        return finished;
    }

    /** Whether every byte of the response was handed to the stream (none waits here behind a slice). */
    boolean allHandedOver() {
        return backlog == null;
    }

    /** Starts the response; see {@link io.squall.http.HttpConnection#writeHeaders}. */
    Future<Void> writeHeaders(ResponseStartLine startLine, HttpHeaders headers, ByteBuffer chunk) {
        if (started) {
            throw new IllegalStateException("response already started");
        }
        // One pass over the fields for what framing needs; the names are compared by length first.
        String length = null;
        boolean hasConnection = false;
        boolean connectionClose = false;
        boolean hasTransferEncoding = false;
        boolean hasDate = false;
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (length == null && HttpSyntax.equalsIgnoreAsciiCase(name, "Content-Length")) {
                length = headers.value(i);
            } else if (HttpSyntax.equalsIgnoreAsciiCase(name, "Connection")) {
                hasConnection = true;
                connectionClose |= HttpSyntax.listContainsToken(headers.value(i), "close");
            } else if (HttpSyntax.equalsIgnoreAsciiCase(name, "Date")) {
                hasDate = true;
            } else if (HttpSyntax.equalsIgnoreAsciiCase(name, "Transfer-Encoding")) {
                hasTransferEncoding = true;
            }
        }
        long declaredLength = length == null ? -1 : ContentLength.parse(length); // may throw: nothing changed yet
        started = true;
        expectedLength = declaredLength;
        if (connectionClose) {
            exchange.closeAfterResponse();
        }
        int code = startLine.code();
        bodyless = exchange.isHeadRequest() || code / 100 == 1 || code == 204 || code == 304;
        if (!bodyless && length == null) {
            if (exchange.mayChunkResponse()) {
                chunked = true;
                putField(headers, hasTransferEncoding, "Transfer-Encoding", "chunked");
            } else {
                exchange.closeAfterResponse(); // the end of the body is the end of the connection
            }
        }
        if (exchange.bodyUnread() || exchange.serverDraining()) {
            exchange.closeAfterResponse(); // unread input, or the server shuts down: this response is the last
        }
        if (!exchange.persistent()) {
            putField(headers, hasConnection, "Connection", "close");
        } else if ("HTTP/1.0".equals(exchange.requestVersion())) {
            putField(headers, hasConnection, "Connection", "keep-alive");
        }
        if (!hasDate) {
            TrustedHeaders.add(headers, "Date", HttpDate.now());
        }
        // A small body goes out in the head's own array: one buffer, one copy of a few bytes.
        int inline = bodyless || chunked || chunk == null || chunk.remaining() > MAX_INLINE_BODY ? 0 : chunk.remaining();
        byte[] head = encodeHead(code, startLine.reason(), headers, inline);
        if (inline > 0) {
            Future<Void> refused = countBody(inline);
            if (refused != null) {
                return refused;
            }
            chunk.get(head, head.length - inline, inline);
        } else if (chunk != null && chunk.hasRemaining()) {
            return writeBody(ByteBuffer.wrap(head), chunk);
        }
        return send(ByteBuffer.wrap(head));
    }

    /** Writes a piece of the body; see {@link io.squall.http.HttpConnection#write}. */
    Future<Void> write(ByteBuffer chunk) {
        if (!started) {
            throw new IllegalStateException("write() before writeHeaders()");
        }
        if (finished) {
            throw new IllegalStateException("write() after finish()");
        }
        return writeBody(null, chunk);
    }

    /** Writes a file region as a piece of the body; see {@link io.squall.http.HttpConnection#writeFile}. */
    Future<Void> writeFile(FileChannel file, long position, long count) {
        if (!started) {
            throw new IllegalStateException("writeFile() before writeHeaders()");
        }
        if (finished) {
            throw new IllegalStateException("writeFile() after finish()");
        }
        Future<Void> refused = countBody(count);
        if (refused != null) {
            return refused;
        }
        if (bodyless || count == 0) {
            return Future.completed(null);
        }
        if (chunked) {
            send(ChunkedEncoder.sizeLine(count));
        }
        if (backlog == null) {
            lastWrite = exchange.sendFileNow(file, position, count);
        } else {
            Future<Void> done = new Future<>();
            backlog.add(new Pending(null, file, position, count, done));
            lastWrite = done;
        }
        return chunked ? send(ChunkedEncoder.chunkEnd()) : lastWrite;
    }

    /**
     * Ends the response; see {@link io.squall.http.HttpConnection#finish}. The future completes when the
     * last bytes reached the kernel.
     */
    Future<Void> finish() {
        if (!started) {
            throw new IllegalStateException("finish() before writeHeaders()");
        }
        if (finished) {
            throw new IllegalStateException("response already finished");
        }
        finished = true;
        if (expectedLength >= 0 && written < expectedLength && !bodyless) {
            exchange.abortConnection(); // the caller gets the error
            throw new IllegalStateException("Tried to write " + (expectedLength - written) + " bytes less than Content-Length");
        }
        return chunked ? send(ChunkedEncoder.lastChunk()) : lastWrite != null ? lastWrite : Future.completed(null);
    }

    /**
     * Counts {@code n} more bytes of body; if that is more than the Content-Length promised, closes the
     * connection and returns the failed future to give the writer, else null.
     */
    private Future<Void> countBody(long n) {
        written += n;
        if (expectedLength >= 0 && written > expectedLength && !bodyless) {
            exchange.abortConnection();
            return Future.failed(new IllegalStateException("Tried to write more data than Content-Length (" + expectedLength + ")"));
        }
        return null;
    }

    private Future<Void> writeBody(ByteBuffer head, ByteBuffer chunk) {
        int n = chunk.remaining();
        Future<Void> refused = countBody(n);
        if (refused != null) {
            return refused;
        }
        List<ByteBuffer> out = new ArrayList<>(4);
        if (head != null) {
            out.add(head);
        }
        if (!bodyless && n > 0) {
            if (chunked) {
                ChunkedEncoder.addChunk(chunk, out);
            } else {
                out.add(chunk);
            }
        }
        if (out.isEmpty()) {
            return Future.completed(null);
        }
        return send(out.toArray(ByteBuffer[]::new));
    }

    /**
     * Sends {@code data} after everything sent before: at once if it is at most one {@link #SLICE} and
     * nothing waits, else through the backlog, one slice at a time.
     */
    private Future<Void> send(ByteBuffer... data) {
        if (backlog == null && exchange.unsentBytes() + remaining(data) <= SLICE) {
            return lastWrite = exchange.send(data);
        }
        Future<Void> done = new Future<>();
        boolean idle = backlog == null;
        if (idle) {
            backlog = new ArrayDeque<>();
        }
        backlog.add(new Pending(data, null, 0, 0, done));
        if (idle) {
            sendNextSlice();
        }
        return lastWrite = done;
    }

    /**
     * Hands the stream the backlog, one slice at a time: the next slice once the one before it reached
     * the kernel (in a loop while writes complete at once, from their completion otherwise). A write that
     * fails fails every write still waiting, with the same error.
     */
    private void sendNextSlice() {
        while (backlog != null) {
            Pending first = backlog.peek();
            if (first.file() != null) {
                backlog.remove();
                Future<Void> sent = exchange.sendFileNow(first.file(), first.position(), first.count());
                if (!sent.isDone()) {
                    sent.addDoneCallback(f -> {
                        if (sliceSent(first, true, f)) {
                            sendNextSlice();
                        }
                    });
                    return;
                }
                if (!sliceSent(first, true, sent)) {
                    return;
                }
                continue;
            }
            List<ByteBuffer> slice = new ArrayList<>();
            long room = SLICE;
            for (ByteBuffer buffer : first.data()) {
                int n = (int) Math.min(buffer.remaining(), room);
                if (n > 0) {
                    slice.add(buffer.slice(buffer.position(), n));
                    buffer.position(buffer.position() + n);
                    room -= n;
                }
            }
            boolean last = remaining(first.data()) == 0;
            if (last) {
                backlog.remove();
            }
            // At once, never held for the runner's next suspension: this may run inside that very flush.
            Future<Void> sent = exchange.sendNow(slice.toArray(ByteBuffer[]::new));
            if (!sent.isDone()) {
                sent.addDoneCallback(f -> {
                    if (sliceSent(first, last, f)) {
                        sendNextSlice();
                    }
                });
                return;
            }
            if (!sliceSent(first, last, sent)) {
                return;
            }
        }
    }

    /** Settles what a slice of {@code pending} completes; returns whether more slices wait. */
    private boolean sliceSent(Pending pending, boolean last, Future<Void> sent) {
        Throwable error = sent.exception();
        if (error != null) {
            pending.done().trySetException(error);
            for (Pending waiting : backlog) {
                waiting.done().trySetException(error);
            }
            backlog = null;
            return false;
        }
        if (last) {
            pending.done().trySetResult(null);
        }
        if (backlog.isEmpty()) {
            backlog = null;
            return false;
        }
        return true;
    }

    private static long remaining(ByteBuffer[] data) {
        long n = 0;
        for (ByteBuffer buffer : data) {
            n += buffer.remaining();
        }
        return n;
    }

    /** Sets a field the server decides on; {@code present}: whether {@code headers} already has it. */
    private static void putField(HttpHeaders headers, boolean present, String name, String value) {
        if (present) {
            TrustedHeaders.set(headers, name, value);
        } else {
            TrustedHeaders.add(headers, name, value);
        }
    }

    /**
     * The status line and field lines, ISO-8859-1 encoded straight into one array, followed by
     * {@code bodyRoom} bytes left for the caller.
     */
    private static byte[] encodeHead(int code, String reason, HttpHeaders headers, int bodyRoom) {
        int size = STATUS_LINE_PREFIX.length + 3 + 1 + reason.length() + 2 + 2 + bodyRoom;
        for (int i = 0; i < headers.size(); i++) {
            size += headers.name(i).length() + 2 + headers.value(i).length() + 2;
        }
        byte[] head = new byte[size];
        System.arraycopy(STATUS_LINE_PREFIX, 0, head, 0, STATUS_LINE_PREFIX.length);
        int at = STATUS_LINE_PREFIX.length;
        head[at++] = (byte) ('0' + code / 100);
        head[at++] = (byte) ('0' + code / 10 % 10);
        head[at++] = (byte) ('0' + code % 10);
        head[at++] = ' ';
        at = putLatin1(reason, head, at);
        head[at++] = '\r';
        head[at++] = '\n';
        for (int i = 0; i < headers.size(); i++) {
            at = putLatin1(headers.name(i), head, at);
            head[at++] = ':';
            head[at++] = ' ';
            at = putLatin1(headers.value(i), head, at);
            head[at++] = '\r';
            head[at++] = '\n';
        }
        head[at++] = '\r';
        head[at] = '\n';
        return head;
    }

    /**
     * Copies the characters of {@code s} into {@code out} at {@code at}; returns the index after them. Every
     * character is ISO-8859-1 (header values and reasons are validated so), which is exactly what the
     * deprecated {@link String#getBytes(int, int, byte[], int)} copies right, as one array copy.
     */
    @SuppressWarnings("deprecation")
    private static int putLatin1(String s, byte[] out, int at) {
        s.getBytes(0, s.length(), out, at);
        return at + s.length();
    }
}
