package io.squall.net;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.iostream.SslIOStream;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import io.squall.net.ConnectTimeoutException.Phase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Opens TCP connections (Tornado's {@code TCPClient}): resolves the host without blocking the loop,
 * races the addresses with the {@link HappyEyeballsConnector dual-stack connector}, and optionally
 * starts TLS, all under one deadline.
 *
 * <pre>{@code
 * TcpClient client = new TcpClient();
 * IOStream stream = await(client.connect("example.org", 443,
 *         ConnectOptions.builder().timeout(Duration.ofSeconds(5)).tls(SSLContext.getDefault()).build()));
 * }</pre>
 *
 * <p>Errors: a name that does not resolve fails with {@link java.net.UnknownHostException}, a refused
 * or unreachable address with a {@link io.squall.iostream.StreamClosedError} carrying the last
 * attempt's error, a failed handshake with a {@code StreamClosedError} carrying the
 * {@link javax.net.ssl.SSLHandshakeException}, and the deadline with a {@link ConnectTimeoutException}
 * that names the phase. Use it on one loop's thread.
 */
public final class TcpClient implements AutoCloseable {
    private final Resolver resolver;

    /** A client using the {@link DefaultResolver}. */
    public TcpClient() {
        this(new DefaultResolver());
    }

    /** A client using {@code resolver} (for example an {@link OverrideResolver} in tests). */
    public TcpClient(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** Connects to {@code host:port} with the {@linkplain ConnectOptions#DEFAULTS default options}. */
    public Future<IOStream> connect(String host, int port) {
        return connect(host, port, ConnectOptions.DEFAULTS);
    }

    /** Connects to {@code host:port} on {@link IOLoop#current()}; see the class comment for errors. */
    public Future<IOStream> connect(String host, int port, ConnectOptions options) {
        return new Attempt(IOLoop.current(), host, port, options).start();
    }

    /**
     * Resolves {@code host:port} with this client's resolver, off the loop: the first phase of
     * {@link #connect(String, int, ConnectOptions)}, for a caller that times or reports the phases itself
     * and then calls {@link #connect(String, List, ConnectOptions)}.
     */
    public Future<List<InetSocketAddress>> resolve(String host, int port, AddressFamily family) {
        return resolver.resolve(Objects.requireNonNull(host, "host"), port, Objects.requireNonNull(family, "family"));
    }

    /**
     * Connects to the first of {@code addresses} that answers (in the dual-stack race), then starts TLS if
     * {@code options} ask for it: {@link #connect(String, int, ConnectOptions)} without its resolve phase.
     * {@code host} names the target in errors and is the default TLS server name; the options' timeout
     * covers the connect and the handshake.
     *
     * @throws IllegalArgumentException if {@code addresses} is empty
     */
    public Future<IOStream> connect(String host, List<InetSocketAddress> addresses, ConnectOptions options) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to connect to for " + host);
        }
        return new Attempt(IOLoop.current(), host, addresses.getFirst().getPort(), options).startWith(addresses);
    }

    /** Closes the resolver. */
    @Override
    public void close() {
        resolver.close();
    }

    /** One connect call: its phases, each bounded by what remains of the overall timeout. */
    private final class Attempt {
        private final IOLoop loop;
        private final String host;
        private final int port;
        private final ConnectOptions options;
        private final long deadline;
        private final Future<IOStream> result = new Future<>();

        Attempt(IOLoop loop, String host, int port, ConnectOptions options) {
            this.loop = loop;
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            this.options = Objects.requireNonNull(options, "options");
            this.deadline = options.timeout() == null ? Long.MAX_VALUE : loop.time() + options.timeout().toNanos();
        }

        Future<IOStream> start() {
            Future<List<InetSocketAddress>> resolving = resolver.resolve(host, port, options.family());
            bound(resolving, Phase.RESOLVE, "resolving " + host, resolving::cancel);
            resolving.addDoneCallback(r -> {
                if (r.isFailed()) {
                    result.trySetException(r.exception());
                } else if (!result.isDone()) {
                    connect(r.result());
                }
            });
            return result;
        }

        Future<IOStream> startWith(List<InetSocketAddress> addresses) {
            connect(addresses);
            return result;
        }

        private void connect(List<InetSocketAddress> addresses) {
            HappyEyeballsConnector<IOStream> connector =
                    new HappyEyeballsConnector<>(addresses, this::connectOne, IOStream::close);
            Future<IOStream> connecting = connector.start(remaining());
            result.addDoneCallback(r -> connecting.cancel()); // a timeout abandons every attempt
            connecting.addDoneCallback(c -> {
                if (c.exception() instanceof ConnectTimeoutException timeout) {
                    // Report the caller's timeout, not what was left of it when connecting began.
                    result.trySetException(new ConnectTimeoutException(Phase.CONNECT, options.timeout(),
                            host + ":" + port).initCause(timeout));
                } else if (c.isFailed()) {
                    result.trySetException(c.exception());
                } else if (options.tls() == null) {
                    deliver(c.result());
                } else {
                    startTls(c.result());
                }
            });
        }

        private Future<IOStream> connectOne(InetSocketAddress address) {
            SocketChannel channel;
            try {
                channel = SocketChannel.open(AddressFamily.of(address.getAddress()).protocolFamily());
            } catch (IOException e) {
                return Future.failed(e);
            }
            IOStream stream = new IOStream(channel, loop, options.streamOptions());
            if (options.sourceAddress() != null || options.sourcePort() != 0) {
                try {
                    channel.bind(new InetSocketAddress(options.sourceAddress(), options.sourcePort()));
                } catch (IOException | RuntimeException e) {
                    stream.close();
                    return Future.failed(e);
                }
            }
            Future<IOStream> connected = stream.connect(address);
            connected.addDoneCallback(f -> {
                if (f.isCancelled()) {
                    stream.close(); // the connector gave up on this attempt
                }
            });
            return connected;
        }

        private void startTls(IOStream stream) {
            String serverHostname = options.serverHostname() != null ? options.serverHostname() : host;
            Future<SslIOStream> handshake = stream.startTls(
                    SslIOStream.clientEngine(options.tls(), serverHostname, options.applicationProtocols()));
            // The plain stream handed its channel to the TLS stream: cancelling the handshake closes that.
            bound(handshake, Phase.TLS_HANDSHAKE, "TLS handshake with " + host + ":" + port, handshake::cancel);
            handshake.addDoneCallback(h -> {
                if (h.isFailed()) {
                    result.trySetException(h.exception());
                } else {
                    deliver(h.result());
                }
            });
        }

        private void deliver(IOStream stream) {
            if (!result.trySetResult(stream)) {
                stream.close(); // the deadline passed first
            }
        }

        /** Fails the result if {@code phase} has not finished by the deadline, and runs {@code abandon}. */
        private void bound(Future<?> phase, Phase name, String detail, Runnable abandon) {
            if (deadline == Long.MAX_VALUE) {
                return;
            }
            Timeout timer = loop.callAt(deadline, () -> {
                if (result.trySetException(new ConnectTimeoutException(name, options.timeout(), detail))) {
                    abandon.run();
                }
            });
            phase.addDoneCallback(f -> timer.cancel());
        }

        private Duration remaining() {
            return deadline == Long.MAX_VALUE ? null : Duration.ofNanos(Math.max(1, deadline - loop.time()));
        }
    }
}
