package io.squall.net;

import io.squall.gen.Coroutines;
import io.squall.iostream.IOStream;
import io.squall.iostream.IOStreamOptions;
import io.squall.iostream.SslIOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.ioloop.IOLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server (Tornado's {@code TCPServer}): accepts connections and hands each, wrapped in an
 * {@link IOStream} (an {@link SslIOStream} with TLS), to a {@link StreamHandler} coroutine.
 *
 * <p>One loop: {@link #listen(int, String)} binds and serves on {@link IOLoop#current()}.
 * Several cores: {@link #bind(int, String)} then {@link #start(int)} runs that many loops, one thread
 * each, sharing the port: with {@code SO_REUSEPORT} every loop has its own listening socket and the
 * kernel spreads connections; without it the first loop accepts and hands connections out in turn.
 * Either way a connection lives on one loop for its whole life.
 *
 * <pre>{@code
 * TcpServer server = TcpServer.builder((stream, address) -> {
 *     byte[] line = await(stream.readUntil("\n".getBytes()));
 *     await(stream.write(line));
 *     stream.close();
 * }).build();
 * server.listen(8888, "127.0.0.1");
 * IOLoop.current().start();
 * }</pre>
 */
public final class TcpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);

    private final StreamHandler handler;
    private final SSLContext sslContext;
    private final List<String> applicationProtocols;
    private final IOStreamOptions streamOptions;
    private final int backlog;
    private final boolean reusePort;

    private final List<ServerSocketChannel> sockets = new ArrayList<>();
    private final List<Runnable> acceptRemovers = new ArrayList<>();
    private final List<IOLoop> startedLoops = new ArrayList<>();
    private final List<Thread> loopThreads = new ArrayList<>();
    private String boundAddress;
    private boolean stopped;

    private TcpServer(Builder b) {
        this.handler = b.handler;
        this.sslContext = b.sslContext;
        this.applicationProtocols = List.copyOf(b.applicationProtocols);
        this.streamOptions = b.streamOptions;
        this.backlog = b.backlog;
        this.reusePort = b.reusePort;
    }

    /** A server with default options calling {@code handler} for each connection. */
    public TcpServer(StreamHandler handler) {
        this(builder(handler));
    }

    /** Starts building a server that calls {@code handler} for each connection. */
    public static Builder builder(StreamHandler handler) {
        return new Builder(handler);
    }

    /** Options of a {@link TcpServer}. */
    public static final class Builder {
        private final StreamHandler handler;
        private SSLContext sslContext;
        private List<String> applicationProtocols = List.of();
        private IOStreamOptions streamOptions = IOStreamOptions.DEFAULTS;
        private int backlog = NetUtil.DEFAULT_BACKLOG;
        private boolean reusePort = NetUtil.reusePortSupported();

        private Builder(StreamHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Serves TLS with this context (certificate and key); default: plain TCP. */
        public Builder tls(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** ALPN protocols offered with TLS, most preferred first. */
        public Builder applicationProtocols(List<String> protocols) {
            this.applicationProtocols = protocols;
            return this;
        }

        /** Buffer limits of each connection's stream. */
        public Builder streamOptions(IOStreamOptions options) {
            this.streamOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The listen backlog (default {@link NetUtil#DEFAULT_BACKLOG}). */
        public Builder backlog(int backlog) {
            if (backlog <= 0) {
                throw new IllegalArgumentException("backlog must be positive: " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /**
         * Whether the loops of {@link #start(int)} share the port with {@code SO_REUSEPORT} (default:
         * where the platform has it); false makes the first loop accept for all. For tests of the
         * hand-off path.
         */
        Builder reusePort(boolean on) {
            this.reusePort = on && NetUtil.reusePortSupported();
            return this;
        }

        /** Builds the server. */
        public TcpServer build() {
            return new TcpServer(this);
        }
    }

    // ------------------------------------------------------------------ one loop

    /** Listens on {@code port} on every interface and serves on {@link IOLoop#current()}; returns the port. */
    public int listen(int port) {
        return listen(port, null);
    }

    /**
     * Listens on {@code port} (0: any free port) at {@code address} (null or empty: every interface)
     * and serves on {@link IOLoop#current()}; returns the bound port. Call it on the loop's thread or
     * before the loop starts.
     */
    public int listen(int port, String address) {
        List<ServerSocketChannel> bound = bindSockets(port, address, false);
        addSockets(IOLoop.current(), bound);
        return localPort(bound);
    }

    /** Serves connections accepted on already-bound {@code channels} on {@code loop}. */
    public synchronized void addSockets(IOLoop loop, List<ServerSocketChannel> channels) {
        checkNotStopped();
        for (ServerSocketChannel channel : channels) {
            sockets.add(channel);
            Runnable remover = NetUtil.addAcceptHandler(loop, channel, (ch, addr) -> serve(loop, ch, addr));
            acceptRemovers.add(() -> { // handlers are removed on their own loop
                if (loop.inLoop()) {
                    remover.run();
                } else {
                    loop.addCallback(remover);
                }
            });
        }
    }

    // ------------------------------------------------------------------ several loops

    /**
     * Binds the listening sockets for {@link #start(int)} (with {@code SO_REUSEPORT} where the platform
     * has it) and returns the bound port.
     */
    public synchronized int bind(int port, String address) {
        checkNotStopped();
        if (!sockets.isEmpty()) {
            throw new IllegalStateException("server already bound");
        }
        List<ServerSocketChannel> bound = bindSockets(port, address, reusePort);
        sockets.addAll(bound);
        boundAddress = address;
        return localPort(bound);
    }

    /**
     * Starts {@code loopCount} loops, each on its own platform thread, serving the sockets of
     * {@link #bind}. Returns once every loop accepts connections.
     */
    public synchronized void start(int loopCount) {
        checkNotStopped();
        if (loopCount < 1) {
            throw new IllegalArgumentException("loopCount must be at least 1: " + loopCount);
        }
        if (sockets.isEmpty()) {
            throw new IllegalStateException("call bind() before start()");
        }
        if (!startedLoops.isEmpty()) {
            throw new IllegalStateException("server already started");
        }
        List<ServerSocketChannel> primary = List.copyOf(sockets);
        boolean ownSockets = loopCount > 1 && reusePort;
        int port = localPort(primary);
        for (int i = 0; i < loopCount; i++) {
            startedLoops.add(new IOLoop());
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch accepting = new CountDownLatch(loopCount);
        for (int i = 0; i < loopCount; i++) {
            IOLoop loop = startedLoops.get(i);
            List<ServerSocketChannel> mine = i == 0 ? primary
                    : ownSockets ? bindSockets(port, boundAddress, true) : List.of();
            if (i > 0) {
                sockets.addAll(mine);
            }
            loop.addCallback(() -> {
                // No remover is kept: stop() closes these loops, and their accept handlers with them.
                // (Taking this server's monitor here would deadlock: start() holds it until the latch opens.)
                for (ServerSocketChannel channel : mine) {
                    NetUtil.addAcceptHandler(loop, channel, (ch, addr) -> {
                        // Without SO_REUSEPORT, the first loop accepts for all and hands out in turn.
                        IOLoop owner = ownSockets ? loop : startedLoops.get(Math.floorMod(next.getAndIncrement(), loopCount));
                        if (owner == loop) {
                            serve(loop, ch, addr);
                        } else {
                            owner.addCallback(() -> serve(owner, ch, addr));
                        }
                    });
                }
                accepting.countDown();
            });
            loopThreads.add(loop.startThread("squall-loop-" + (i + 1)));
        }
        try {
            accepting.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting loops", e);
        }
    }

    /** The loops {@link #start(int)} runs, in order (empty before it). */
    public synchronized List<IOLoop> loops() {
        return List.copyOf(startedLoops);
    }

    // ------------------------------------------------------------------ serving

    private void serve(IOLoop loop, SocketChannel channel, SocketAddress address) {
        IOStream stream;
        try {
            stream = sslContext == null ? new IOStream(channel, loop, streamOptions)
                    : SslIOStream.server(channel, loop, streamOptions, sslContext, applicationProtocols);
        } catch (RuntimeException e) {
            LOG.error("cannot set up the stream of a connection from {}", address, e);
            closeQuietly(channel);
            return;
        }
        Coroutines.spawnOn(loop, () -> {
            handler.handleStream(stream, address);
            return null;
        }).addDoneCallback(f -> {
            Throwable error = f.exception();
            if (error == null) {
                return;
            }
            if (error instanceof StreamClosedError || error instanceof CancellationException) {
                LOG.debug("connection from {} closed: {}", address, error.toString()); // or its loop closed
            } else {
                LOG.error("Error in connection callback for {}", address, error);
            }
            stream.close();
        });
    }

    // ------------------------------------------------------------------ stopping

    /**
     * Stops accepting: closes the listening sockets and stops and closes the loops {@link #start}
     * started (their open connections are closed with them). Connections served on loops the caller
     * owns stay open. Idempotent, and safe from any thread.
     */
    public void stop() {
        List<Thread> threads;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            threads = List.copyOf(loopThreads);
            for (IOLoop loop : startedLoops) {
                loop.stop();
            }
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (this) {
            if (startedLoops.isEmpty()) {
                acceptRemovers.forEach(Runnable::run);
            }
            for (IOLoop loop : startedLoops) {
                loop.close(true);
            }
            sockets.forEach(TcpServer::closeQuietly);
            sockets.clear();
            acceptRemovers.clear();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void checkNotStopped() {
        if (stopped) {
            throw new IllegalStateException("server stopped");
        }
    }

    private List<ServerSocketChannel> bindSockets(int port, String address, boolean reusePort) {
        try {
            return NetUtil.bindSockets(port, address, backlog, reusePort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + (address == null ? "*" : address) + ":" + port, e);
        }
    }

    private static int localPort(List<ServerSocketChannel> channels) {
        try {
            return ((InetSocketAddress) channels.getFirst().getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("error closing {}", c, e);
        }
    }
}
