package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.withTimeout;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.RequestStartLine;
import io.squall.http.ResponseStartLine;
import io.squall.http1.BodyFraming;
import io.squall.http1.ChunkedDecoder;
import io.squall.http1.ParsedRequestHead;
import io.squall.iostream.IOStream;
import io.squall.iostream.SslIOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.ioloop.IOLoop;
import io.squall.net.NetUtil;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLSession;

/**
 * One request and its response on an HTTP/1.1 server connection, and the {@link HttpConnection} its
 * delegate sees (Tornado makes an {@code HTTP1Connection} per request the same way). It holds everything
 * that belongs to the request (its version and keep-alive, client address and scheme, body limits, the
 * delegate, whether the body was read) and its {@link Http1ResponseEncoder}; the
 * {@link Http1ServerConnection} keeps only what outlives a request. A stale reference to an earlier
 * request's exchange thus never touches the current one. HTTP/2 will have one such object per stream.
 *
 * <p>The exchange exists from the moment its head starts to be read; the connection's close is reported
 * to the server's delegate with its last exchange. Everything here runs on the connection's loop.
 */
final class Http1ServerExchange implements HttpConnection {
    /** A read that a timeout gave up on fails when the connection closes: nothing worth logging. */
    private static final Set<Class<? extends Throwable>> QUIET = Set.of(StreamClosedError.class);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /**
     * The connection serving this request; null once the stream is {@linkplain #detach() detached}, so that
     * what keeps the request afterwards (a WebSocket handler, for the life of its connection) does not keep
     * the HTTP/1 machinery with it (parser, head reader, timers, delegate).
     */
    private Http1ServerConnection connection;
    /** The connection's stream: the client's address, the TLS session and the loop, also after a detach. */
    private final IOStream stream;
    private final Http1ResponseEncoder response = new Http1ResponseEncoder(this);
    /** Completes when the response is finished and sent, or can no longer be (the connection closed). */
    private final Future<Void> responseDone = new Future<>();
    /** The request's head; null while it is being read. */
    private ParsedRequestHead head;
    private boolean headRequest;
    private boolean keepAlive;
    /** Whether the request has a body (a Content-Length above 0, or chunked). */
    private boolean hasBody;
    private HttpMessageDelegate message;
    private String remoteIp;
    private String protocol;
    private Duration bodyTimeout;
    private long maxBodySize;
    private boolean requestFinished;
    /** Whether the body is left unread because the response came first (the connection then closes). */
    private boolean bodySkipped;
    private boolean closeAfterResponse;
    /** Whether the delegate's {@code finish()} runs (a suspension then may hand the request loop over). */
    private boolean inDelegateFinish;
    /** Whether the request loop went on in another coroutine while this request's {@code finish()} waited. */
    private boolean loopHandedOver;

    /** An exchange whose head is about to be read (as Tornado's {@code HTTP1Connection} is made before it). */
    Http1ServerExchange(Http1ServerConnection connection) {
        this.connection = connection;
        this.stream = connection.stream();
    }

    /** Takes the request's head, once read and parsed: the request's state follows from it. */
    void start(ParsedRequestHead head) {
        this.head = head;
        HttpServerOptions options = connection.options();
        RequestStartLine start = head.startLine();
        headRequest = "HEAD".equals(start.method());
        hasBody = head.framing() instanceof BodyFraming.Chunked
                || head.framing() instanceof BodyFraming.ContentLength(long length) && length > 0;
        keepAlive = head.keepAlive() && !options.noKeepAlive();
        bodyTimeout = options.bodyTimeout();
        maxBodySize = options.maxBodySize();
        remoteIp = connection.peerIp();
        protocol = isSecure() ? "https" : "http";
        if (options.xheaders()) {
            applyProxyHeaders(head.headers(), options.trustedDownstream());
        }
    }

    /** Tornado's xheaders: the client address and scheme as a trusted proxy reported them. */
    private void applyProxyHeaders(HttpHeaders headers, Set<String> trustedDownstream) {
        String ip = remoteIp;
        // Repeated lines are one list (RFC 9110 §5.3): a proxy may append its own line after the client's.
        String forwarded = headers.getJoined("X-Forwarded-For");
        if (forwarded != null) {
            String[] hops = forwarded.split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].strip();
                if (!trustedDownstream.contains(hop)) {
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

    // ------------------------------------------------------------------ reading the request

    /**
     * Reads the request into the delegate {@code startRequest} returned and calls its {@code finish()},
     * in the calling coroutine (the connection's). Returns false if the connection must close instead
     * (a body too large or too slow).
     */
    boolean readRequest() throws Exception {
        HttpServerOptions options = connection.options();
        message = connection.delegate().startRequest(this);
        if (options.decompressRequest()) {
            message = new GzipRequestDelegate(message, options.chunkSize(), () -> maxBodySize);
        }
        awaitFlowControl(message.headersReceived(head.startLine(), head.headers()));
        if (!readBody()) {
            return false;
        }
        requestFinished = true;
        inDelegateFinish = true;
        try {
            message.finish();
        } finally {
            inDelegateFinish = false;
        }
        return true;
    }

    /** Reads the body into the delegate; returns false if the connection must close instead. */
    private boolean readBody() throws Exception {
        BodyFraming framing = head.framing();
        if (framing instanceof BodyFraming.None) {
            return true;
        }
        if (framing instanceof BodyFraming.ContentLength(long length)) {
            if (length > maxBodySize) {
                connection.rejectAndClose(this, 413, "Content-Length " + length + " exceeds " + maxBodySize);
                return false;
            }
            if (length == 0) {
                return true;
            }
        }
        if (response.started()) {
            closeAfterResponse = true; // answered before the body was read: do not read it
            bodySkipped = true;
            return true;
        }
        // RFC 9110 §10.1.1: never to an HTTP/1.0 client, which does not know 1xx responses.
        if ("HTTP/1.1".equals(requestVersion()) && head.headers().containsToken("Expect", "100-continue")) {
            await(stream.write(CONTINUE));
        }
        long deadline = System.nanoTime() + bodyTimeout.toNanos();
        try {
            if (framing instanceof BodyFraming.ContentLength(long length)) {
                readFixedBody(stream, length, deadline);
            } else {
                readChunkedBody(stream, deadline);
            }
        } catch (OperationTimeoutException e) {
            connection.closeOnBodyTimeout(this);
            return false;
        }
        return true;
    }

    private void readFixedBody(IOStream stream, long length, long deadline) throws Exception {
        int chunkSize = connection.options().chunkSize();
        long remaining = length;
        while (remaining > 0) {
            byte[] piece = await(readBodyPiece(stream, deadline, (int) Math.min(chunkSize, remaining)));
            remaining -= piece.length;
            awaitFlowControl(message.dataReceived(ByteBuffer.wrap(piece)));
        }
    }

    private void readChunkedBody(IOStream stream, long deadline) throws Exception {
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
        int chunkSize = connection.options().chunkSize();
        while (!decoder.isDone()) {
            byte[] piece = await(readBodyPiece(stream, deadline, chunkSize));
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

    /**
     * Reads up to {@code n} bytes of the body, failing with {@link OperationTimeoutException} at the body's
     * {@code deadline} or once {@code bodyProgressTimeout} passes without bytes, whichever comes first.
     */
    private Future<byte[]> readBodyPiece(IOStream stream, long deadline, int n) {
        Future<byte[]> read = stream.readBytes(n, true);
        if (read.isDone()) {
            return read; // bytes already there: no timer
        }
        long stall = System.nanoTime() + connection.options().bodyProgressTimeout().toNanos();
        return timed(stall - deadline < 0 ? stall : deadline, read);
    }

    /** {@code read}, failing with {@link OperationTimeoutException} at {@code deadline} (a {@link System#nanoTime()}). */
    static <T> Future<T> timed(long deadline, Future<T> read) {
        return withTimeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), read, QUIET);
    }

    private static void awaitFlowControl(Future<?> f) {
        if (f != null) {
            await(f);
        }
    }

    // ------------------------------------------------------------------ the request's state, for the connection

    /** The request line, as logs name the request. */
    RequestStartLine startLine() {
        return head.startLine();
    }

    String requestVersion() {
        return head.startLine().version();
    }

    boolean isHeadRequest() {
        return headRequest;
    }

    /** Whether a response without Content-Length may be chunked (else the close of the connection ends it). */
    boolean mayChunkResponse() {
        return "HTTP/1.1".equals(requestVersion()) && keepAlive;
    }

    /** Makes the connection close once the response is sent. */
    void closeAfterResponse() {
        closeAfterResponse = true;
    }

    /** Whether the connection may serve another request after this one, as far as this request goes. */
    boolean persistent() {
        return keepAlive && !closeAfterResponse;
    }

    /** Whether the server shuts down, which makes this response the connection's last. */
    boolean serverDraining() {
        return connection.draining();
    }

    /**
     * Whether the response comes before the whole request body was read: then the connection closes
     * after it (and says so), since what is left of the body cannot be told from the next request.
     */
    boolean bodyUnread() {
        return hasBody && !requestFinished;
    }

    /** Whether bytes of the request body may still arrive after the connection stops reading. */
    boolean bodyLeftUnread() {
        return bodyUnread() || bodySkipped;
    }

    Http1ResponseEncoder response() {
        return response;
    }

    Future<Void> responseDone() {
        return responseDone;
    }

    boolean inDelegateFinish() {
        return inDelegateFinish;
    }

    /** Records that the request loop went on in another coroutine during this request's {@code finish()}. */
    void handOverLoop() {
        inDelegateFinish = false;
        loopHandedOver = true;
    }

    boolean loopHandedOver() {
        return loopHandedOver;
    }

    /** The connection closed: nothing more will be written, and a delegate not done is told. */
    void connectionClosed() {
        responseDone.trySetResult(null);
        HttpMessageDelegate current = message;
        if (current != null && !(requestFinished && response.finished())) {
            try {
                current.onConnectionClose();
            } catch (RuntimeException e) {
                Http1ServerConnection.LOG.error("Exception in onConnectionClose of {}", current, e);
            }
        }
    }

    /** Writes response bytes on the connection's stream (held for the runner's next suspension if it writes them). */
    Future<Void> send(ByteBuffer... data) {
        return connection.send(data);
    }

    /** Writes response bytes on the connection's stream at once. */
    Future<Void> sendNow(ByteBuffer... data) {
        return stream.write(data);
    }

    /** Writes a file region on the connection's stream at once (after what the stream holds). */
    Future<Void> sendFileNow(FileChannel file, long position, long count) {
        return stream.writeFile(file, position, count);
    }

    /** The bytes the connection's stream holds that the kernel has not taken yet. */
    long unsentBytes() {
        return stream.writeBufferSize();
    }

    /** Ends the connection at once: the response cannot be completed as written. */
    void abortConnection() {
        connection.closeStream();
    }

    // ------------------------------------------------------------------ HttpConnection: what the delegate sees

    @Override
    public Future<Void> writeHeaders(ResponseStartLine startLine, HttpHeaders headers, ByteBuffer chunk) {
        assert loop().inLoop() : "writeHeaders() off the connection's loop";
        checkNotDetached("writeHeaders");
        return response.writeHeaders(startLine, headers, chunk);
    }

    @Override
    public Future<Void> write(ByteBuffer chunk) {
        assert loop().inLoop() : "write() off the connection's loop";
        checkNotDetached("write");
        return response.write(chunk);
    }

    @Override
    public Future<Void> writeFile(FileChannel file, long position, long count) {
        assert loop().inLoop() : "writeFile() off the connection's loop";
        checkNotDetached("writeFile");
        return response.writeFile(file, position, count);
    }

    @Override
    public Future<Void> finish() {
        assert loop().inLoop() : "finish() off the connection's loop";
        checkNotDetached("finish");
        Future<Void> done = response.finish();
        if (bodyUnread()) {
            closeAfterResponse = true;
        }
        done.chainTo(responseDone);
        return done;
    }

    @Override
    public boolean responseStarted() {
        return response.started();
    }

    @Override
    public IOStream detach() {
        assert loop().inLoop() : "detach() off the connection's loop";
        checkNotDetached("detach");
        IOStream detached = connection.detach();
        connection = null;
        message = null;
        responseDone.trySetResult(null);
        return detached;
    }

    private void checkNotDetached(String operation) {
        if (connection == null) {
            throw new IllegalStateException(operation + "() after detach(): the stream belongs to its new owner");
        }
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
        return stream.remoteAddress();
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
        return stream instanceof SslIOStream;
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
        if (connection != null) {
            connection.closeStream();
        } else {
            stream.close();
        }
    }

    @Override
    public String toString() {
        return "Http1ServerExchange[" + (head == null ? "no request yet" : head.startLine()) + " from "
                + stream.remoteAddress() + "]";
    }
}
