package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.gen.Coroutines;
import io.squall.http.HttpInputException;
import io.squall.http.HttpUtil;
import io.squall.http1.HeadReader;
import io.squall.http1.HttpParser;
import io.squall.http1.ParsedRequestHead;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-side HTTP/1.1 connection: a coroutine that reads requests one after the other
 * ({@link #serve()}), gives each an {@link Http1ServerExchange} of its own (the request's state, its
 * delegate, its response encoder), and reads the next once the response is finished, so pipelined
 * requests are answered in order. The connection itself keeps only what outlives a request: the stream,
 * the head reader, the idle timer, and which coroutine runs the request loop.
 *
 * <p><b>Who runs the request loop.</b> One coroutine at a time runs {@link #serveRequests}, from the
 * first head to the connection's end, except in two cases, where it returns and another coroutine
 * takes over: between requests, when the next head has not started to arrive (the first read of that
 * head is left pending, and its completion starts a new coroutine: an idle keep-alive connection holds
 * no coroutine, and a request costs the start of a coroutine rather than a suspension and a resumption,
 * which cost about twice as much); and when the delegate's {@code finish()} (a web handler runs right
 * there) suspends once its response is finished: the exchange is marked handed over and a new coroutine
 * goes on with the next request. Responses written by the coroutine running the loop are queued
 * ({@link IOStream#writeLater}) and sent when it is about to wait (its
 * {@linkplain Coroutines#setSuspendHook suspend hook}): the answers to a burst of pipelined requests go
 * out in one system call.
 *
 * <p>A request ends in {@link #afterResponse}, the one place that decides whether the connection serves
 * another. Everything here runs on the connection's loop.
 */
final class Http1ServerConnection {
    static final Logger LOG = LoggerFactory.getLogger(Http1ServerConnection.class);
    /**
     * Responses queued but not yet taken by the kernel, beyond which the connection waits for them to go
     * out before it reads the next request: the flow control of a client that pipelines without reading.
     */
    private static final long MAX_UNSENT_BYTES = 64 * 1024;
    /** How long a connection closed while the client may still be sending goes on reading (see {@link #closeLingering}). */
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final ByteBuffer[] NOTHING = {};

    /** What the request loop does after a request. */
    private enum Next {
        /** Reads the next request. */
        SERVE,
        /** Ends the connection. */
        CLOSE,
        /** Stops in this coroutine: another one runs the request loop now. */
        RELEASED
    }

    private final IOStream stream;
    private final SocketAddress address;
    private final HttpServerOptions options;
    private final HttpServerConnectionDelegate delegate;
    private final HttpParser parser;
    private final HeadReader headReader;
    /** How the head reader reads: whatever has arrived, up to what it asks for. */
    private final IntFunction<Future<byte[]>> readPiece;
    /** How the head reader reads after the head's first piece: the same, under the header timeout from then on. */
    private final IntFunction<Future<byte[]>> readRestOfHead;
    /** The address the connection came from, as text. */
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
    /** Whether the runner waits for a request head, which must arrive by {@link #headDeadline} ({@link System#nanoTime()}). */
    private boolean readingHead;
    /** Whether the head being read has begun to arrive: its deadline is then the header timeout's. */
    private boolean headBegun;
    private long headDeadline;
    /** The timer enforcing {@link #headDeadline}, if armed, and when it fires. */
    private Timeout idleTimer;
    /**
     * The current request, or the last one while its coroutine still runs the request loop; null until
     * the first head starts to be read, and while the connection waits, idle, for the next head (a finished
     * request's exchange, delegate and headers are not kept for the life of an idle connection).
     */
    private Http1ServerExchange exchange;
    private boolean detached;
    /** Whether the server shuts down: the current response is the connection's last (see {@link #closeWhenIdle}). */
    private boolean draining;
    /** When {@link #idleTimer} fires ({@link System#nanoTime()}). */
    private long idleTimerAt;
    /** The slow-reader timer of a pending response write, if armed (see {@link #watchSend}). */
    private Timeout sendTimer;
    /** The latest response write, which {@link #watchSend} watches once the one it watched is done. */
    private Future<Void> lastSend;

    Http1ServerConnection(IOStream stream, SocketAddress address, HttpServerOptions options,
                          HttpServerConnectionDelegate delegate) {
        this.stream = stream;
        this.address = address;
        this.options = options;
        this.delegate = delegate;
        this.parser = new HttpParser(options.maxHeaderSize());
        this.headReader = new HeadReader(stream, options.maxHeaderSize());
        this.readPiece = n -> stream.readBytes(n, true);
        this.readRestOfHead = n -> {
            if (!headBegun) {
                startHeaderTimeout();
            }
            return stream.readBytes(n, true);
        };
        Callable<Void> serveNext = () -> {
            serveRequests(false);
            return null;
        };
        this.resumeServing = f -> stream.loop().spawnCallback(serveNext);
        this.peerIp = address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "0.0.0.0";
    }

    /**
     * Serves requests until the connection closes or is detached; call it in a coroutine of its own. It
     * returns early if the request loop is handed over to another coroutine; the returned future
     * completes when the connection is over.
     */
    Future<Void> serve() {
        assert stream.loop().inLoop() : "serve() off the connection's loop";
        stream.setCloseCallback(this::onStreamClosed);
        // A response is often several writes (head, body pieces, last chunk): with Nagle's algorithm
        // each write after the first would wait for the client's delayed ACK, ~40 ms per response.
        stream.setNoDelay(true);
        serveRequests(false);
        return served;
    }

    /**
     * The request loop, in the calling coroutine until the connection is over or the loop passes to
     * another coroutine; {@code responsePending}: start by finishing the current request (the loop was
     * handed over during its {@code finish()}).
     */
    private void serveRequests(boolean responsePending) {
        assert stream.loop().inLoop() : "the request loop runs off the connection's loop";
        runner = Thread.currentThread();
        Coroutines.setSuspendHook(beforeSuspend);
        Next next = Next.CLOSE;
        try {
            next = responsePending ? afterResponse(exchange) : Next.SERVE;
            while (next == Next.SERVE && !detached) {
                Future<byte[]> head = headStart;
                headStart = null;
                if (head == null) {
                    startIdleTimeout();
                    head = readPiece.apply(headReader.firstReadSize());
                    if (!head.isDone()) {
                        serveWhenHeadArrives(head);
                        next = Next.RELEASED;
                        return;
                    }
                }
                next = serveRequest(head);
            }
        } finally {
            if (next != Next.RELEASED) {
                endConnection();
            }
        }
    }

    /** The end of the request loop in the coroutine that runs it: the connection closes (unless detached). */
    private void endConnection() {
        Coroutines.setSuspendHook(null);
        runner = null;
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (!detached) {
            boolean inputLeft = exchange != null && exchange.bodyLeftUnread();
            if (stream.loop().isClosed()) {
                closeStream(); // the loop closed, cancelling this coroutine: nothing can be awaited now
            } else if (inputLeft || !stream.isClosed() && stream.available() > 0) {
                closeLingering(); // the client may still be sending: a plain close would reset
            } else {
                closeStream();
            }
            if (exchange != null) { // null only if the loop failed before its first head
                delegate.onClose(exchange);
            }
        }
        served.trySetResult(null);
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
        exchange = null;
        headStart = head;
        head.addDoneCallback(resumeServing);
    }

    /** Gives the client {@code idleConnectionTimeout} from now to start sending the next head. */
    private void startIdleTimeout() {
        headDeadline = System.nanoTime() + options.idleConnectionTimeout().toNanos();
        readingHead = true;
        headBegun = false;
        if (idleTimer == null) {
            armIdleTimer();
        }
    }

    /**
     * Gives the head that began to arrive {@code headerTimeout} from now to end. Only a head that does not
     * arrive in one piece gets here, so the timer moves (when it would fire too late) only for those.
     */
    private void startHeaderTimeout() {
        headBegun = true;
        headDeadline = System.nanoTime() + options.headerTimeout().toNanos();
        if (idleTimer != null && idleTimerAt - headDeadline > 0) {
            idleTimer.cancel();
            armIdleTimer();
        }
    }

    private void armIdleTimer() {
        idleTimerAt = headDeadline;
        idleTimer = stream.loop().callAt(headDeadline, this::onIdleTimer);
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
        if (System.nanoTime() - headDeadline < 0) {
            armIdleTimer();
            return;
        }
        LOG.debug("closing {}: {}", address, headBegun ? "request head not received within the header timeout"
                : "no request within the idle timeout");
        stream.close();
    }

    /**
     * The runner's suspend hook: sends the queued responses, and hands the request loop over if the
     * delegate's {@code finish()} waits for something once its response is done.
     */
    private void beforeSuspend() {
        stream.flush();
        Http1ServerExchange current = exchange;
        if (current != null && current.inDelegateFinish() && (current.response().finished() || detached)) {
            current.handOverLoop();
            Coroutines.setSuspendHook(null);
            runner = null;
            stream.loop().spawnCallback(() -> {
                serveRequests(true);
                return null;
            });
        }
    }

    /**
     * Reads one request, the first piece of whose head {@code headStart} reads, and serves it with an
     * exchange of its own.
     */
    private Next serveRequest(Future<byte[]> headStart) {
        Http1ServerExchange current = new Http1ServerExchange(this);
        exchange = current;
        ParsedRequestHead parsed;
        try {
            byte[] head;
            try {
                head = headReader.read(headStart, readRestOfHead);
            } finally {
                readingHead = false;
            }
            parsed = parser.parseRequestHead(head);
        } catch (StreamClosedError e) {
            return Next.CLOSE; // the client left, or stayed idle too long (see onIdleTimer)
        } catch (HttpInputException e) {
            rejectAndClose(current, e.status(), e.getMessage());
            return Next.CLOSE;
        }
        current.start(parsed);
        try {
            if (!current.readRequest()) {
                return Next.CLOSE;
            }
        } catch (StreamClosedError e) {
            return current.loopHandedOver() ? Next.RELEASED : Next.CLOSE;
        } catch (HttpInputException e) {
            if (current.loopHandedOver()) {
                return Next.RELEASED;
            }
            rejectAndClose(current, e.status(), e.getMessage());
            return Next.CLOSE;
        } catch (CancellationException e) {
            throw e; // the coroutine is cancelled (its loop closes): no answer, no error
        } catch (Exception e) {
            LOG.error("Uncaught exception serving {} from {}", current.startLine(), address, e);
            if (current.loopHandedOver()) {
                return Next.RELEASED;
            }
            rejectAndClose(current, 500, "internal error");
            return Next.CLOSE;
        }
        return current.loopHandedOver() ? Next.RELEASED : afterResponse(current);
    }

    /**
     * Where a request ends: waits as long as its response needs (until it is finished, and also until it
     * is sent if the connection then ends, too much is unsent, or the encoder still holds slices of it),
     * then says whether the connection serves another request.
     */
    private Next afterResponse(Http1ServerExchange done) {
        if (detached || !done.response().finished() && !awaitResponseDone(done) || detached) {
            return Next.CLOSE;
        }
        boolean another = done.persistent() && !draining && !stream.isClosed();
        if (!another || !done.response().allHandedOver() || stream.writeBufferSize() > MAX_UNSENT_BYTES) {
            return awaitResponseDone(done) && another ? Next.SERVE : Next.CLOSE;
        }
        return Next.SERVE;
    }

    /** Waits until the response is finished and sent; returns false if it could not be sent. */
    private boolean awaitResponseDone(Http1ServerExchange done) {
        try {
            await(done.responseDone());
            return true;
        } catch (RuntimeException e) {
            // A write of the response failed (the client left, the write buffer overflowed): the
            // application saw the error on its own futures, and the connection cannot go on.
            LOG.debug("response to {} not completed: {}", address, e.toString());
            return false;
        }
    }

    /** Answers a bad request with {@code status} (if no response was started for {@code current}) and closes. */
    void rejectAndClose(Http1ServerExchange current, int status, String reason) {
        LOG.debug("rejecting request from {} with {}: {}", address, status, reason);
        writeRejection(current, status);
        closeLingering();
    }

    /** Sends an empty {@code status} response with {@code Connection: close}, unless one was started for {@code current}. */
    private void writeRejection(Http1ServerExchange current, int status) {
        if (!current.responseStarted() && !stream.isClosed()) {
            String response = "HTTP/1.1 " + status + " " + HttpUtil.reasonPhrase(status)
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            try {
                await(stream.write(response.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (StreamClosedError e) {
                // the client is gone already
            }
        }
    }

    /**
     * The body did not arrive in time (its deadline, or {@code bodyProgressTimeout} without bytes): a 408
     * if no response was started (the stalled read stays pending, so nothing more is read), then a close.
     */
    void closeOnBodyTimeout(Http1ServerExchange current) {
        LOG.debug("body timeout from {}", address);
        writeRejection(current, 408);
        closeStream();
    }

    /** Whether the server shuts down: the current response is then the connection's last. */
    boolean draining() {
        return draining;
    }

    /**
     * The graceful shutdown of this connection (on its loop): closed at once if it waits for a request
     * that has not begun to arrive; otherwise the response in progress is its last, and says
     * {@code Connection: close} unless it had started already.
     */
    void closeWhenIdle() {
        assert stream.loop().inLoopOrNotRunning() : stream.loop().offLoop("closeWhenIdle");
        draining = true;
        if (!detached && runner == null && headStart != null && !headStart.isDone()) {
            LOG.debug("closing idle {}: the server shuts down", address);
            stream.close();
        }
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
            await(Http1ServerExchange.timed(deadline, stream.write(NOTHING)));
            stream.shutdownOutput();
            while (!stream.isClosed()) {
                await(Http1ServerExchange.timed(deadline, stream.readBytes(options.chunkSize(), true)));
            }
        } catch (StreamClosedError | OperationTimeoutException e) {
            // the client closed its side, or had its time
        } finally {
            stream.close();
        }
    }

    private void onStreamClosed() {
        cancelSendTimer();
        if (exchange != null) {
            exchange.connectionClosed();
        }
    }

    /** Writes response bytes: queued until the runner suspends if the runner writes them, at once otherwise. */
    Future<Void> send(ByteBuffer... data) {
        Future<Void> written = runner == Thread.currentThread() ? stream.writeLater(data) : stream.write(data);
        if (!written.isDone()) {
            lastSend = written;
            if (sendTimer == null) {
                watchSend(written);
            }
        }
        return written;
    }

    /**
     * Arms the slow-reader limit on {@code write}: if after {@code sendTimeout} it is still pending and the
     * stream's unsent bytes have not gone down, the client took nothing meanwhile and the connection closes.
     */
    private void watchSend(Future<Void> write) {
        long unsent = stream.writeBufferSize();
        sendTimer = stream.loop().callLater(options.sendTimeout(), () -> {
            sendTimer = null;
            if (stream.isClosed()) {
                return;
            }
            if (!write.isDone() && stream.writeBufferSize() >= unsent) {
                LOG.debug("closing {}: the client took no response bytes within the send timeout", address);
                stream.close();
            } else if (lastSend != null && !lastSend.isDone()) {
                watchSend(lastSend);
            }
        });
    }

    /** Takes the stream away from HTTP (see {@link io.squall.http.HttpConnection#detach}). */
    IOStream detach() {
        detached = true;
        stream.flush();
        stream.setCloseCallback(null);
        cancelSendTimer(); // the stream's new owner watches it from now on
        return stream;
    }

    /**
     * Stops watching the last send, when nothing more will be sent on the stream (it closed, or was
     * detached): a timer left to run its course would keep this connection, its last request and
     * whatever hangs on it reachable for sendTimeout.
     */
    private void cancelSendTimer() {
        if (sendTimer != null) {
            sendTimer.cancel();
            sendTimer = null;
        }
    }

    /** Closes the stream after handing it what is queued: bytes written before the close still go out. */
    void closeStream() {
        stream.flush();
        stream.close();
    }

    IOStream stream() {
        return stream;
    }

    /** The loop the connection lives on. */
    IOLoop loop() {
        return stream.loop();
    }

    /** Closes the connection at once (the shutdown deadline). */
    void close() {
        stream.close();
    }

    HttpServerOptions options() {
        return options;
    }

    HttpServerConnectionDelegate delegate() {
        return delegate;
    }

    String peerIp() {
        return peerIp;
    }

    @Override
    public String toString() {
        return "Http1ServerConnection[" + address + "]";
    }
}
