package io.squall.http;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.withTimeout;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.iostream.UnsatisfiableReadError;
import io.squall.ioloop.IOLoop;
import io.squall.net.NetUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-side HTTP/1.1 connection: a coroutine that reads requests one after the other
 * ({@link #serve()}), hands each to a {@link HttpMessageDelegate}, and waits until its response is
 * finished before reading the next, so pipelined requests are answered in order.
 */
final class Http1ServerConnection implements HttpConnection {
    private static final Logger LOG = LoggerFactory.getLogger(Http1ServerConnection.class);
    private static final Pattern HEAD_END = Pattern.compile("\r?\n\r?\n");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final IOStream stream;
    private final SocketAddress address;
    private final HttpServerOptions options;
    private final HttpServerConnectionDelegate delegate;
    private final HttpParser parser;
    private final boolean secure;

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
        this.secure = options.tls() != null;
    }

    /** Serves requests until the connection closes or is detached. Runs as the connection's coroutine. */
    void serve() {
        stream.setCloseCallback(this::onStreamClosed);
        try {
            while (!detached && readRequest()) {
                resetRequest();
            }
        } finally {
            if (!detached) {
                stream.close();
                delegate.onClose(this);
            }
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

    /** Reads and dispatches one request; returns whether the connection may serve another. */
    private boolean readRequest() {
        byte[] head;
        try {
            head = await(withTimeout(options.idleConnectionTimeout(),
                    stream.readUntilRegex(HEAD_END, options.maxHeaderSize(), false)));
        } catch (StreamClosedError | OperationTimeoutException e) {
            return false; // the client left, or stayed idle too long
        } catch (CompletionException e) {
            if (e.getCause() instanceof UnsatisfiableReadError) {
                return rejectAndClose(431, "request head larger than " + options.maxHeaderSize() + " bytes");
            }
            throw e;
        }
        ParsedRequestHead parsed;
        try {
            parsed = parser.parseRequestHead(head);
        } catch (HttpInputException e) {
            return rejectAndClose(e.status(), e.getMessage());
        }
        startRequest(parsed);
        try {
            message = delegate.startRequest(this);
            awaitFlowControl(message.headersReceived(parsed.startLine(), parsed.headers()));
            if (!readBody(parsed)) {
                return false;
            }
            requestFinished = true;
            message.finish();
        } catch (StreamClosedError e) {
            return false;
        } catch (HttpInputException e) {
            return rejectAndClose(e.status(), e.getMessage());
        } catch (Exception e) {
            LOG.error("Uncaught exception serving {} from {}", parsed.startLine(), address, e);
            return rejectAndClose(500, "internal error");
        }
        if (detached) {
            return false;
        }
        try {
            await(responseDone);
        } catch (StreamClosedError e) {
            return false;
        }
        return keepAlive && !closeAfterResponse && !stream.isClosed();
    }

    private void startRequest(ParsedRequestHead parsed) {
        RequestStartLine start = parsed.startLine();
        requestVersion = start.version();
        headRequest = "HEAD".equals(start.method());
        keepAlive = parsed.keepAlive() && !options.noKeepAlive();
        closeAfterResponse = false;
        bodyTimeout = options.bodyTimeout();
        maxBodySize = options.maxBodySize();
        responseDone = new Future<>();
        remoteIp = address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "0.0.0.0";
        protocol = secure ? "https" : "http";
        if (options.xheaders()) {
            applyProxyHeaders(parsed.headers());
        }
    }

    /** Tornado's xheaders: the client address and scheme as a trusted proxy reported them. */
    private void applyProxyHeaders(HttpHeaders headers) {
        String ip = remoteIp;
        String forwarded = headers.get("X-Forwarded-For");
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
        String realIp = headers.get("X-Real-Ip");
        if (realIp != null) {
            ip = realIp.strip();
        }
        if (NetUtil.isValidIp(ip)) {
            remoteIp = ip;
        }
        String proto = headers.get("X-Scheme");
        if (proto == null) {
            proto = headers.get("X-Forwarded-Proto");
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
            return true;
        }
        if (parsed.headers().containsToken("Expect", "100-continue")) {
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
            stream.close();
            return false;
        }
        return true;
    }

    private void readFixedBody(long length, long deadline) throws Exception {
        long remaining = length;
        while (remaining > 0) {
            byte[] piece = await(withTimeout(left(deadline), stream.readBytes((int) Math.min(options.chunkSize(), remaining), true)));
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
            byte[] piece = await(withTimeout(left(deadline), stream.readBytes(options.chunkSize(), true)));
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

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
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
        stream.close();
        return false;
    }

    private void onStreamClosed() {
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
        responseStarted = true;
        int code = startLine.code();
        bodyless = headRequest || code / 100 == 1 || code == 204 || code == 304;
        String length = headers.get("Content-Length");
        expectedLength = length == null ? -1 : Long.parseLong(length.strip());
        chunked = false;
        if (!bodyless && length == null) {
            if ("HTTP/1.1".equals(requestVersion) && keepAlive) {
                chunked = true;
                headers.set("Transfer-Encoding", "chunked");
            } else {
                closeAfterResponse = true; // the end of the body is the end of the connection
            }
        }
        if (headers.containsToken("Connection", "close")) {
            closeAfterResponse = true;
        }
        boolean persistent = keepAlive && !closeAfterResponse;
        if (!persistent) {
            headers.set("Connection", "close");
        } else if ("HTTP/1.0".equals(requestVersion)) {
            headers.set("Connection", "keep-alive");
        }
        if (!headers.contains("Date")) {
            headers.set("Date", HttpDate.now());
        }
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(code).append(' ')
                .append(startLine.reason()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        ByteBuffer headBytes = ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (chunk == null || !chunk.hasRemaining()) {
            return lastWrite = stream.write(headBytes);
        }
        return writeBody(headBytes, chunk);
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

    private Future<Void> writeBody(ByteBuffer head, ByteBuffer chunk) {
        int n = chunk.remaining();
        written += n;
        if (expectedLength >= 0 && written > expectedLength && !bodyless) {
            stream.close();
            return Future.failed(new IllegalStateException("Tried to write more data than Content-Length (" + expectedLength + ")"));
        }
        List<ByteBuffer> out = new ArrayList<>(4);
        if (head != null) {
            out.add(head);
        }
        if (!bodyless && n > 0) {
            if (chunked) {
                out.add(ByteBuffer.wrap((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                out.add(chunk);
                out.add(ByteBuffer.wrap(CRLF));
            } else {
                out.add(chunk);
            }
        }
        if (out.isEmpty()) {
            return Future.completed(null);
        }
        return lastWrite = stream.write(out.toArray(ByteBuffer[]::new));
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
            stream.close();
            responseDone.trySetResult(null); // the caller gets the error; serve() just ends, the stream being closed
            throw new IllegalStateException("Tried to write " + (expectedLength - written) + " bytes less than Content-Length");
        }
        Future<Void> done = chunked ? stream.write(LAST_CHUNK) : lastWrite != null ? lastWrite : Future.completed(null);
        if (!requestFinished) {
            closeAfterResponse = true; // the rest of the request body will not be read
        }
        done.chainTo(responseDone);
        return done;
    }

    @Override
    public boolean responseStarted() {
        return responseStarted;
    }

    @Override
    public IOStream detach() {
        detached = true;
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
    public IOLoop loop() {
        return stream.loop();
    }

    @Override
    public void close() {
        stream.close();
    }

    @Override
    public String toString() {
        return "Http1ServerConnection[" + address + "]";
    }
}
