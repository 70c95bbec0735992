package io.squall.httpserver;

import io.squall.ioloop.IOLoop;
import io.squall.net.TcpServer;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HTTP/1.1 server (Tornado's {@code HTTPServer}) over a {@link TcpServer}: every connection runs
 * as a coroutine that parses requests strictly (RFC 9112) and hands them to a
 * {@link HttpServerConnectionDelegate}, usually a web {@code Application}.
 *
 * <p>Bad input is answered with the right status and a clean close: malformed requests 400, a head
 * over {@code maxHeaderSize} 431, a body over {@code maxBodySize} 413, an unsupported HTTP version
 * 505. Idle and body timeouts close the connection. See {@link HttpServerOptions} for the options.
 */
public final class HttpServer implements AutoCloseable {
    private final TcpServer tcp;
    private final Set<Http1ServerConnection> connections = ConcurrentHashMap.newKeySet();

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
            connection.serve().addDoneCallback(f -> connections.remove(connection));
        }).streamOptions(options.streamOptions()).backlog(options.backlog());
        if (options.tls() != null) {
            builder.tls(options.tls()).applicationProtocols(List.of("http/1.1"));
        }
        this.tcp = builder.build();
    }

    /** Listens on {@code port} on every interface, serving on {@link IOLoop#current()}; returns the port. */
    public int listen(int port) {
        return tcp.listen(port);
    }

    /** Listens on {@code port} at {@code address}, serving on {@link IOLoop#current()}; returns the port. */
    public int listen(int port, String address) {
        return tcp.listen(port, address);
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
