package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.withTimeout;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.gen.Coroutines;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.HttpUtil;
import io.squall.http.RequestStartLine;
import io.squall.http.ResponseStartLine;
import io.squall.http.syntax.HttpSyntax;
import io.squall.http1.BodyFraming;
import io.squall.http1.ChunkedEncoder;
import io.squall.http1.ContentLength;
import io.squall.http1.ChunkedDecoder;
import io.squall.http1.HeadReader;
import io.squall.http1.HttpParser;
import io.squall.http1.ParsedRequestHead;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import io.squall.iostream.IOStream;
import io.squall.iostream.SslIOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.net.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-side HTTP/1.1 connection: a coroutine that reads requests one after the other
 * ({@link #serve()}), hands each to a {@link HttpMessageDelegate}, and reads the next once the response
 * is finished, so pipelined requests are answered in order.
 *
 * <p>The delegate's {@link HttpMessageDelegate#finish()} runs in the connection's coroutine (a web
 * handler runs right there, without a coroutine of its own). Responses written from that coroutine are
 * queued ({@link IOStream#writeLater}) and sent when the coroutine is about to wait (its
 * {@linkplain Coroutines#setSuspendHook suspend hook}): the answers to a burst of pipelined requests go
 * out in one system call. If {@code finish()} suspends once its response is finished (or the stream
 * detached), the connection hands its request loop over to a new coroutine, so the next request does not
 * wait for the rest of {@code finish()}.
 *
 * <p>Between requests, when the next head has not started to arrive, the coroutine ends instead of
 * waiting: the first read of that head is left pending, and a new coroutine takes the request loop up
 * once it completes. An idle keep-alive connection thus holds no coroutine, and a request costs the
 * start of a coroutine rather than a suspension and a resumption, which cost about twice as much.
 */
final class Http1ServerConnection implements HttpConnection {
    private static final Logger LOG = LoggerFactory.getLogger(Http1ServerConnection.class);
    /** A read that a timeout gave up on fails when the connection closes: nothing worth logging. */
    private static final Set<Class<? extends Throwable>> QUIET = Set.of(StreamClosedError.class);
    private static final byte[] STATUS_LINE_PREFIX = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    /**
     * Responses queued but not yet taken by the kernel, beyond which the connection waits for them to go
     * out before it reads the next request: the flow control of a client that pipelines without reading.
     */
    private static final long MAX_UNSENT_BYTES = 64 * 1024;
    /** The largest first body piece copied into the head's array rather than written as a buffer of its own. */
    private static final int MAX_INLINE_BODY = 1024;
    /** How long a connection closed while the client may still be sending goes on reading (see {@link #closeLingering}). */
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final ByteBuffer[] NOTHING = {};

    private final IOStream stream;
    private final SocketAddress address;
    private final HttpServerOptions options;
    private final HttpServerConnectionDelegate delegate;
    private final HttpParser parser;
    private final HeadReader headReader;
    /** How the head reader reads: whatever has arrived, up to what it asks for. */
    private final IntFunction<Future<byte[]>> readPiece;
    private final boolean secure;
    /** The address the connection came from, as text: {@link #remoteIp()} unless a trusted proxy says otherwise. */
    private final String peerIp;
    /** Completes when the connection is over (closed, or detached). */
    private final Future<Void> served = new Future<>();
    /** The coroutine running the request loop, if any; its writes are queued until it suspends. */
    private Thread runner;
    /** The first read of the next head, left pending while no coroutine runs the request loop. */
    private Future<byte[]> headStart;
    /** Done callback of {@link #headStart}: a new coroutine takes the request loop up. */
    private final Consumer<Future<byte[]>> resumeServing;
    private final Runnable beforeSuspend = this::beforeSuspend;
    /** Whether the runner is inside the delegate's {@code finish()}. */
    private boolean inDelegateFinish;
    /** Whether the runner waits for a request head, which must arrive by {@link #headDeadline} ({@link System#nanoTime()}). */
    private boolean readingHead;
    private long headDeadline;
    /** The timer enforcing {@link #headDeadline}, if armed. */
    private Timeout idleTimer;

    // The current request.
    private HttpMessageDelegate message;
    private String requestVersion;
    private boolean headRequest;
    private boolean keepAlive;
    private String remoteIp;
    private String protocol;
    private Duration bodyTimeout;
    private long maxBodySize;
    private boolean requestFinished;
    /** Whether the request has a body (a Content-Length above 0, or chunked). */
    private boolean hasBody;
    /** Whether the body is left unread because the response came first (the connection then closes). */
    private boolean bodySkipped;

    // Its response.
    private boolean responseStarted;
    private boolean responseFinished;
    private boolean bodyless;
    private boolean chunked;
    private long expectedLength;
    private long written;
    private boolean closeAfterResponse;
    private Future<Void> responseDone;
    private Future<Void> lastWrite;

    private boolean detached;

    Http1ServerConnection(IOStream stream, SocketAddress address, HttpServerOptions options,
                          HttpServerConnectionDelegate delegate) {
        this.stream = stream;
        this.address = address;
        this.options = options;
        this.delegate = delegate;
        this.parser = new HttpParser(options.maxHeaderSize());
        this.headReader = new HeadReader(stream, options.maxHeaderSize());
        this.readPiece = n -> stream.readBytes(n, true);
        Callable<Void> serveNext = () -> {
            serveRequests(false);
            return null;
        };
        this.resumeServing = f -> stream.loop().spawnCallback(serveNext);
        this.secure = options.tls() != null;
        this.peerIp = address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "0.0.0.0";
    }

    /**
     * Serves requests until the connection closes or is detached; call it in a coroutine of its own. It
     * returns early if the request loop is handed over to another coroutine; the returned future
     * completes when the connection is over.
     */
    Future<Void> serve() {
        stream.setCloseCallback(this::onStreamClosed);
        // A response is often several writes (head, body pieces, last chunk): with Nagle's algorithm
        // each write after the first would wait for the client's delayed ACK, ~40 ms per response.
        stream.setNoDelay(true);
        serveRequests(false);
        return served;
    }

    /**
     * The request loop, in the calling coroutine until the connection is over or the loop is handed
     * over; {@code responsePending}: start by finishing the current request (the loop was handed over).
     */
    private void serveRequests(boolean responsePending) {
        runner = Thread.currentThread();
        Coroutines.setSuspendHook(beforeSuspend);
        try {
            boolean more = !responsePending || afterResponse();
            while (more && !detached) {
                resetRequest();
                Future<byte[]> head = headStart;
                headStart = null;
                if (head == null) {
                    startIdleTimeout();
                    head = readPiece.apply(headReader.firstReadSize());
                    if (!head.isDone()) {
                        serveWhenHeadArrives(head);
                        return;
                    }
                }
                more = readRequest(head);
            }
        } finally {
            if (ownsConnection()) {
                Coroutines.setSuspendHook(null);
                runner = null;
                if (idleTimer != null) {
                    idleTimer.cancel();
                }
                if (!detached) {
                    if (bodyUnread() || bodySkipped || !stream.isClosed() && stream.available() > 0) {
                        closeLingering(); // the client may still be sending: a plain close would reset
                    } else {
                        closeStream();
                    }
                    delegate.onClose(this);
                }
                served.trySetResult(null);
            }
        }
    }

    /**
     * Ends the calling coroutine's part: the queued responses go out now (as they would at a
     * suspension), and a new coroutine serves on once {@code head}, the first read of the next head,
     * completes (or fails, when the connection closes first).
     */
    private void serveWhenHeadArrives(Future<byte[]> head) {
        stream.flush();
        Coroutines.setSuspendHook(null);
        runner = null;
        headStart = head;
        head.addDoneCallback(resumeServing);
    }

    /** Gives the client {@code idleConnectionTimeout} from now to send the next head. */
    private void startIdleTimeout() {
        headDeadline = System.nanoTime() + options.idleConnectionTimeout().toNanos();
        readingHead = true;
        if (idleTimer == null) {
            idleTimer = stream.loop().callAt(headDeadline, this::onIdleTimer);
        }
    }

    /**
     * Closes the connection if its head is overdue. The timer is armed lazily, not once per request:
     * when it fires early (the deadline moved on since), it is armed again for the current deadline;
     * when no head is being read, the next head read arms it.
     */
    private void onIdleTimer() {
        idleTimer = null;
        if (!readingHead || stream.isClosed()) {
            return;
        }
        if (System.nanoTime() < headDeadline) {
            idleTimer = stream.loop().callAt(headDeadline, this::onIdleTimer);
            return;
        }
        LOG.debug("closing {}: no request within the idle timeout", address);
        stream.close();
    }

    /** Whether the calling coroutine runs the request loop (it was not handed over). */
    private boolean ownsConnection() {
        return runner == Thread.currentThread();
    }

    /**
     * The runner's suspend hook: sends the queued responses, and hands the request loop over if the
     * delegate's {@code finish()} waits for something once its response is done.
     */
    private void beforeSuspend() {
        stream.flush();
        if (inDelegateFinish && (responseFinished || detached)) {
            inDelegateFinish = false;
            Coroutines.setSuspendHook(null);
            runner = null;
            stream.loop().spawnCallback(() -> {
                serveRequests(true);
                return null;
            });
        }
    }

    private void resetRequest() {
        message = null;
        responseStarted = false;
        responseFinished = false;
        requestFinished = false;
        written = 0;
        lastWrite = null;
    }

    /**
     * Reads and dispatches one request, the first piece of whose head {@code headStart} reads; returns
     * whether this coroutine may serve another.
     */
    private boolean readRequest(Future<byte[]> headStart) {
        ParsedRequestHead parsed;
        try {
            byte[] head;
            try {
                head = headReader.read(headStart, readPiece);
            } finally {
                readingHead = false;
            }
            parsed = parser.parseRequestHead(head);
        } catch (StreamClosedError e) {
            return false; // the client left, or stayed idle too long (see onIdleTimer)
        } catch (HttpInputException e) {
            return rejectAndClose(e.status(), e.getMessage());
        }
        startRequest(parsed);
        try {
            message = delegate.startRequest(this);
            if (options.decompressRequest()) {
                message = new GzipRequestDelegate(message, options.chunkSize(), () -> maxBodySize);
            }
            awaitFlowControl(message.headersReceived(parsed.startLine(), parsed.headers()));
            if (!readBody(parsed)) {
                return false;
            }
            requestFinished = true;
            finishMessage();
        } catch (StreamClosedError e) {
            return false;
        } catch (HttpInputException e) {
            return ownsConnection() && rejectAndClose(e.status(), e.getMessage());
        } catch (Exception e) {
            LOG.error("Uncaught exception serving {} from {}", parsed.startLine(), address, e);
            return ownsConnection() && rejectAndClose(500, "internal error");
        }
        if (!ownsConnection()) {
            return false; // finish() was suspended past its response: another coroutine serves on
        }
        return afterResponse();
    }

    /** The delegate's {@code finish()}, during which a suspension past the response hands the loop over. */
    private void finishMessage() throws Exception {
        inDelegateFinish = true;
        try {
            message.finish();
        } finally {
            if (ownsConnection()) {
                inDelegateFinish = false;
            }
        }
    }

    /**
     * Waits as long as the current response needs: until it is finished, and also until it is sent if
     * the connection then ends or too much is unsent. Returns whether the connection may serve another
     * request.
     */
    private boolean afterResponse() {
        if (detached || !responseFinished && !awaitResponseDone()) {
            return false;
        }
        if (detached) {
            return false;
        }
        boolean another = keepAlive && !closeAfterResponse && !stream.isClosed();
        if (!another || stream.writeBufferSize() > MAX_UNSENT_BYTES) {
            return awaitResponseDone() && another;
        }
        return true;
    }

    /** Waits until the response is finished and sent; returns false if it could not be sent. */
    private boolean awaitResponseDone() {
        try {
            await(responseDone);
            return true;
        } catch (RuntimeException e) {
            // A write of the response failed (the client left, the write buffer overflowed): the
            // application saw the error on its own futures, and the connection cannot go on.
            LOG.debug("response to {} not completed: {}", address, e.toString());
            return false;
        }
    }

    private void startRequest(ParsedRequestHead parsed) {
        RequestStartLine start = parsed.startLine();
        requestVersion = start.version();
        headRequest = "HEAD".equals(start.method());
        hasBody = parsed.framing() instanceof BodyFraming.Chunked
                || parsed.framing() instanceof BodyFraming.ContentLength(long length) && length > 0;
        keepAlive = parsed.keepAlive() && !options.noKeepAlive();
        closeAfterResponse = false;
        bodySkipped = false;
        bodyTimeout = options.bodyTimeout();
        maxBodySize = options.maxBodySize();
        responseDone = new Future<>();
        remoteIp = peerIp;
        protocol = secure ? "https" : "http";
        if (options.xheaders()) {
            applyProxyHeaders(parsed.headers());
        }
    }

    /** Tornado's xheaders: the client address and scheme as a trusted proxy reported them. */
    private void applyProxyHeaders(HttpHeaders headers) {
        String ip = remoteIp;
        // Repeated lines are one list (RFC 9110 §5.3): a proxy may append its own line after the client's.
        String forwarded = headers.getJoined("X-Forwarded-For");
        if (forwarded != null) {
            String[] hops = forwarded.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].strip();
                if (!options.trustedDownstream().contains(hop)) {
                    ip = hop;
                    break;
                }
            }
        }
        String realIp = headers.getJoined("X-Real-Ip");
        if (realIp != null) {
            ip = realIp.strip();
        }
        if (NetUtil.isValidIp(ip)) {
            remoteIp = ip;
        }
        String proto = headers.getJoined("X-Scheme");
        if (proto == null) {
            proto = headers.getJoined("X-Forwarded-Proto");
        }
        if (proto != null) {
            String last = proto.substring(proto.lastIndexOf(',') + 1).strip().toLowerCase(Locale.ROOT);
            if (last.equals("http") || last.equals("https")) {
                protocol = last;
            }
        }
    }

    /** Reads the body into the delegate; returns false if the connection must close instead. */
    private boolean readBody(ParsedRequestHead parsed) throws Exception {
        BodyFraming framing = parsed.framing();
        if (framing instanceof BodyFraming.None) {
            return true;
        }
        if (framing instanceof BodyFraming.ContentLength(long length)) {
            if (length > maxBodySize) {
                return rejectAndClose(413, "Content-Length " + length + " exceeds " + maxBodySize);
            }
            if (length == 0) {
                return true;
            }
        }
        if (responseStarted) {
            closeAfterResponse = true; // answered before the body was read: do not read it
            bodySkipped = true;
            return true;
        }
        // RFC 9110 §10.1.1: never to an HTTP/1.0 client, which does not know 1xx responses.
        if ("HTTP/1.1".equals(requestVersion) && parsed.headers().containsToken("Expect", "100-continue")) {
            await(stream.write(CONTINUE));
        }
        long deadline = System.nanoTime() + bodyTimeout.toNanos();
        try {
            if (framing instanceof BodyFraming.ContentLength(long length)) {
                readFixedBody(length, deadline);
            } else {
                readChunkedBody(deadline);
            }
        } catch (OperationTimeoutException e) {
            LOG.debug("body timeout from {}", address);
            closeStream();
            return false;
        }
        return true;
    }

    private void readFixedBody(long length, long deadline) throws Exception {
        long remaining = length;
        while (remaining > 0) {
            byte[] piece = await(timed(deadline, stream.readBytes((int) Math.min(options.chunkSize(), remaining), true)));
            remaining -= piece.length;
            awaitFlowControl(message.dataReceived(ByteBuffer.wrap(piece)));
        }
    }

    private void readChunkedBody(long deadline) throws Exception {
        List<Future<?>> pending = new ArrayList<>();
        Exception[] failure = new Exception[1];
        ChunkedDecoder decoder = new ChunkedDecoder(maxBodySize, data -> {
            try {
                Future<?> f = message.dataReceived(data);
                if (f != null && !f.isDone()) {
                    pending.add(f);
                }
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        while (!decoder.isDone()) {
            byte[] piece = await(timed(deadline, stream.readBytes(options.chunkSize(), true)));
            int used = decoder.feed(piece, 0, piece.length);
            if (failure[0] != null) {
                throw failure[0];
            }
            for (Future<?> f : pending) {
                await(f);
            }
            pending.clear();
            if (used < piece.length) {
                stream.unread(piece, used, piece.length - used); // the next pipelined request
            }
        }
    }

    /** {@code read}, failing with {@link OperationTimeoutException} at {@code deadline} (a {@link System#nanoTime()}). */
    private static <T> Future<T> timed(long deadline, Future<T> read) {
        return withTimeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), read, QUIET);
    }

    private static void awaitFlowControl(Future<?> f) {
        if (f != null) {
            await(f);
        }
    }

    /** Answers a bad request with {@code status} (if no response was started) and closes. */
    private boolean rejectAndClose(int status, String reason) {
        LOG.debug("rejecting request from {} with {}: {}", address, status, reason);
        if (!responseStarted && !stream.isClosed()) {
            String response = "HTTP/1.1 " + status + " " + HttpUtil.reasonPhrase(status)
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            try {
                await(stream.write(response.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (StreamClosedError e) {
                // the client is gone already
            }
        }
        closeLingering();
        return false;
    }

    /**
     * Closes the connection in stages, for a client that may still be sending (RFC 9112 §9.6): once the
     * response is out, the write side ends (the client reads the response, then the end of the stream),
     * and what the client still sends is read and dropped until it closes its side or {@link #LINGER}
     * has passed; then the connection closes. A plain close with request bytes unread would make the
     * kernel reset the connection, and a client still writing its body could lose the response.
     */
    private void closeLingering() {
        long deadline = System.nanoTime() + LINGER.toNanos();
        try {
            await(timed(deadline, stream.write(NOTHING)));
            stream.shutdownOutput();
            while (!stream.isClosed()) {
                await(timed(deadline, stream.readBytes(options.chunkSize(), true)));
            }
        } catch (StreamClosedError | OperationTimeoutException e) {
            // the client closed its side, or had its time
        } finally {
            stream.close();
        }
    }

    private void onStreamClosed() {
        if (responseDone != null) {
            responseDone.trySetResult(null); // nothing more will be written: the connection is over
        }
        HttpMessageDelegate current = message;
        if (current != null && !(requestFinished && responseFinished)) {
            try {
                current.onConnectionClose();
            } catch (RuntimeException e) {
                LOG.error("Exception in onConnectionClose of {}", current, e);
            }
        }
    }

    // ------------------------------------------------------------------ writing the response

    @Override
    public Future<Void> writeHeaders(ResponseStartLine startLine, HttpHeaders headers, ByteBuffer chunk) {
        if (responseStarted) {
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
        responseStarted = true;
        expectedLength = declaredLength;
        closeAfterResponse |= connectionClose;
        int code = startLine.code();
        bodyless = headRequest || code / 100 == 1 || code == 204 || code == 304;
        chunked = false;
        if (!bodyless && length == null) {
            if ("HTTP/1.1".equals(requestVersion) && keepAlive) {
                chunked = true;
                putField(headers, hasTransferEncoding, "Transfer-Encoding", "chunked");
            } else {
                closeAfterResponse = true; // the end of the body is the end of the connection
            }
        }
        if (bodyUnread()) {
            closeAfterResponse = true;
        }
        boolean persistent = keepAlive && !closeAfterResponse;
        if (!persistent) {
            putField(headers, hasConnection, "Connection", "close");
        } else if ("HTTP/1.0".equals(requestVersion)) {
            putField(headers, hasConnection, "Connection", "keep-alive");
        }
        if (!hasDate) {
            headers.add("Date", HttpDate.now());
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
        return lastWrite = send(ByteBuffer.wrap(head));
    }

    /** Sets a field the server decides on; {@code present}: whether {@code headers} already has it. */
    private static void putField(HttpHeaders headers, boolean present, String name, String value) {
        if (present) {
            headers.set(name, value);
        } else {
            headers.add(name, value);
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

    @Override
    public Future<Void> write(ByteBuffer chunk) {
        if (!responseStarted) {
            throw new IllegalStateException("write() before writeHeaders()");
        }
        if (responseFinished) {
            throw new IllegalStateException("write() after finish()");
        }
        return writeBody(null, chunk);
    }

    @Override
    public Future<Void> writeFile(FileChannel file, long position, long count) {
        if (!responseStarted) {
            throw new IllegalStateException("writeFile() before writeHeaders()");
        }
        if (responseFinished) {
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
            stream.writeFile(file, position, count);
            return lastWrite = stream.write(ChunkedEncoder.chunkEnd());
        }
        return lastWrite = stream.writeFile(file, position, count);
    }

    /**
     * Counts {@code n} more bytes of body; if that is more than the Content-Length promised, closes the
     * connection and returns the failed future to give the writer, else null.
     */
    private Future<Void> countBody(long n) {
        written += n;
        if (expectedLength >= 0 && written > expectedLength && !bodyless) {
            closeStream();
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
        return lastWrite = send(out.toArray(ByteBuffer[]::new));
    }

    /** Writes {@code data}: queued until the runner suspends if the runner writes it, at once otherwise. */
    private Future<Void> send(ByteBuffer... data) {
        return ownsConnection() ? stream.writeLater(data) : stream.write(data);
    }

    @Override
    public Future<Void> finish() {
        if (!responseStarted) {
            throw new IllegalStateException("finish() before writeHeaders()");
        }
        if (responseFinished) {
            throw new IllegalStateException("response already finished");
        }
        responseFinished = true;
        if (expectedLength >= 0 && written < expectedLength && !bodyless) {
            closeStream(); // ends the connection (see onStreamClosed); the caller gets the error
            throw new IllegalStateException("Tried to write " + (expectedLength - written) + " bytes less than Content-Length");
        }
        Future<Void> done = chunked ? send(ChunkedEncoder.lastChunk()) : lastWrite != null ? lastWrite : Future.completed(null);
        if (bodyUnread()) {
            closeAfterResponse = true;
        }
        done.chainTo(responseDone);
        return done;
    }

    /**
     * Whether the response comes before the whole request body was read: then the connection closes
     * after it (and says so), since what is left of the body cannot be told from the next request.
     */
    private boolean bodyUnread() {
        return hasBody && !requestFinished;
    }

    @Override
    public boolean responseStarted() {
        return responseStarted;
    }

    @Override
    public IOStream detach() {
        detached = true;
        stream.flush();
        stream.setCloseCallback(null);
        responseDone.trySetResult(null);
        return stream;
    }

    @Override
    public void setBodyTimeout(Duration timeout) {
        this.bodyTimeout = timeout;
    }

    @Override
    public void setMaxBodySize(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    @Override
    public SocketAddress remoteAddress() {
        return address;
    }

    @Override
    public String remoteIp() {
        return remoteIp;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public SSLSession tlsSession() {
        return stream instanceof SslIOStream tls ? tls.session() : null;
    }

    @Override
    public IOLoop loop() {
        return stream.loop();
    }

    @Override
    public void close() {
        closeStream();
    }

    /** Closes the stream after handing it what is queued: bytes written before the close still go out. */
    private void closeStream() {
        stream.flush();
        stream.close();
    }

    @Override
    public String toString() {
        return "Http1ServerConnection[" + address + "]";
    }
}
