package io.squall.httpserver;

import io.squall.concurrent.Future;
import io.squall.http.HttpConnection;
import io.squall.ioloop.IOLoop;
import io.squall.net.TcpServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server (Tornado's {@code HTTPServer}) over a {@link TcpServer}: every connection runs
 * as a coroutine that parses requests strictly (RFC 9112) and hands them to a
 * {@link HttpServerConnectionDelegate}, usually a web {@code Application}.
 *
 * <p>Bad input is answered with the right status and a clean close: malformed requests 400, a head
 * over {@code maxHeaderSize} 431, a body over {@code maxBodySize} 413, an unsupported HTTP version
 * 505. Idle, header and body timeouts close the connection (a body timeout after a 408), and at
 * {@code maxConnections} open connections the server stops accepting until one closes. See
 * {@link HttpServerOptions} for the options and the reasons for their defaults.
 *
 * <p>{@link #shutdown(Duration)} stops gracefully: no new connection, idle ones closed at once, requests
 * in flight finished (their responses say {@code Connection: close}), the rest closed at the deadline.
 * {@link #shutdownOnSignal(Duration)} does it when the JVM is asked to stop (Ctrl-C, SIGTERM).
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** How much longer than its deadline a shutdown hook waits for the shutdown to complete. */
    private static final Duration HOOK_GRACE = Duration.ofSeconds(2);

    private final TcpServer tcp;
    private final Set<Http1ServerConnection> connections = ConcurrentHashMap.newKeySet();
    /** The loops {@link #listen} serves on (the loops of {@link #start} are the TCP server's). */
    private final Set<IOLoop> listenLoops = ConcurrentHashMap.newKeySet();
    /** Set once {@link #shutdown} began; completes when it is over. */
    private volatile Future<Void> shutdown;

    /** A server with default options. */
    public HttpServer(HttpServerConnectionDelegate delegate) {
        this(delegate, HttpServerOptions.DEFAULTS);
    }

    /** A server with {@code options}. */
    public HttpServer(HttpServerConnectionDelegate delegate, HttpServerOptions options) {
        Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(options, "options");
        TcpServer.Builder builder = TcpServer.builder((stream, address) -> {
            Http1ServerConnection connection = new Http1ServerConnection(stream, address, options, delegate);
            connections.add(connection);
            Future<Void> served = connection.serve();
            served.addDoneCallback(f -> connectionOver(connection));
            if (shutdown != null) {
                connection.closeWhenIdle(); // accepted as the shutdown began
            }
        }).streamOptions(options.streamOptions()).backlog(options.backlog())
                .maxConnections(options.maxConnections());
        if (options.tls() != null) {
            builder.tls(options.tls()).applicationProtocols(List.of("http/1.1"));
        }
        this.tcp = builder.build();
    }

    /** Listens on {@code port} on every interface, serving on {@link IOLoop#current()}; returns the port. */
    public int listen(int port) {
        return listen(port, null);
    }

    /** Listens on {@code port} at {@code address}, serving on {@link IOLoop#current()}; returns the port. */
    public int listen(int port, String address) {
        int bound = tcp.listen(port, address);
        listenLoops.add(IOLoop.current());
        return bound;
    }

    /** Binds for {@link #start(int)}; returns the port. */
    public int bind(int port, String address) {
        return tcp.bind(port, address);
    }

    /** Starts {@code loopCount} loops on their own threads serving the bound port. */
    public void start(int loopCount) {
        tcp.start(loopCount);
    }

    /** The loops {@link #start(int)} runs. */
    public List<IOLoop> loops() {
        return tcp.loops();
    }

    /** How many connections are open now. */
    public int connectionCount() {
        return connections.size();
    }

    /** Closes every open connection (each on its own loop); listening goes on. */
    public void closeAllConnections() {
        for (Http1ServerConnection connection : connections) {
            connection.stream().loop().addCallback(connection::closeStream);
        }
    }

    /**
     * Shuts the server down gracefully: it stops accepting at once (a new connect is refused), closes
     * the connections waiting idle for a request, and lets each request in flight finish, its response
     * saying {@code Connection: close} (unless it had started) and the connection closing after it. At
     * {@code deadline} from now, the connections still open are closed. The future completes once no
     * connection is left, or at the deadline once the rest are closed (a handler that hangs does not
     * hold it). Connections {@linkplain HttpConnection#detach() detached} from HTTP (WebSockets) are their
     * owner's to close. The loops keep running: call {@link #stop()} afterwards to stop those of
     * {@link #start}. Safe from any thread; a second call returns the first call's future.
     */
    public Future<Void> shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        Future<Void> done;
        synchronized (this) {
            if (shutdown != null) {
                return shutdown;
            }
            done = new Future<>();
            shutdown = done;
        }
        tcp.stopAccepting();
        Set<IOLoop> loops = ConcurrentHashMap.newKeySet();
        loops.addAll(listenLoops);
        loops.addAll(tcp.loops());
        connections.forEach(c -> loops.add(c.loop()));
        LOG.info("HTTP server shutting down: {} connections open, closing what is left in {} ms",
                connections.size(), deadline.toMillis());
        AtomicInteger loopsBeforeDeadline = new AtomicInteger(loops.size());
        long at = System.nanoTime() + deadline.toNanos();
        for (IOLoop loop : loops) {
            Runnable drain = () -> {
                connections.stream().filter(c -> c.loop() == loop).forEach(Http1ServerConnection::closeWhenIdle);
                loop.callAt(at, () -> {
                    closeRemaining(loop);
                    if (loopsBeforeDeadline.decrementAndGet() == 0 && done.trySetResult(null)) {
                        LOG.info("HTTP server shut down at its deadline");
                    }
                });
                checkDrained();
            };
            if (loop.inLoop()) {
                drain.run(); // at once: a response written right after this call says Connection: close
            } else {
                loop.addCallback(drain);
            }
        }
        if (loops.isEmpty()) {
            done.trySetResult(null);
        }
        return done;
    }

    private void closeRemaining(IOLoop loop) {
        connections.stream().filter(c -> c.loop() == loop).forEach(c -> {
            LOG.info("closing {} at the shutdown deadline", c);
            c.close();
        });
    }

    private void connectionOver(Http1ServerConnection connection) {
        connections.remove(connection);
        checkDrained();
    }

    private void checkDrained() {
        Future<Void> done = shutdown;
        if (done != null && connections.isEmpty() && done.trySetResult(null)) {
            LOG.info("HTTP server shut down: every connection finished");
        }
    }

    /**
     * Shuts the server down gracefully ({@link #shutdown(Duration)}) when the JVM is asked to stop
     * (Ctrl-C, SIGTERM, {@code System.exit}), then stops its loops: those {@link #start} started and
     * those {@link #listen} serves on, so that a {@code main} blocked in {@link IOLoop#start()} returns.
     * The JVM's exit waits for the shutdown (at most {@code deadline} and two seconds). Returns this.
     */
    public HttpServer shutdownOnSignal(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("squall-http-shutdown").unstarted(() -> {
            CountDownLatch over = new CountDownLatch(1);
            shutdown(deadline).addDoneCallback(f -> over.countDown());
            try {
                if (!over.await(deadline.plus(HOOK_GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("HTTP server shutdown did not complete in {} ms", deadline.plus(HOOK_GRACE).toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listenLoops.forEach(loop -> loop.addCallback(loop::stop));
            tcp.stop();
        }));
        return this;
    }

    /** Stops listening (and stops the loops {@link #start(int)} started). Idempotent. */
    public void stop() {
        tcp.stop();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
