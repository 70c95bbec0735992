package io.squall.httpclient;

import io.squall.concurrent.Future;
import io.squall.http1.HttpParser;
import io.squall.ioloop.IOLoop;
import io.squall.locks.Semaphore;
import io.squall.net.DefaultResolver;
import io.squall.net.OverrideResolver;
import io.squall.net.Resolver;
import io.squall.net.TcpClient;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An asynchronous HTTP/1.1 client on an {@link IOLoop}: Tornado's {@code AsyncHTTPClient}, with the
 * keep-alive pooling, proxies and precise errors its simple client never had.
 *
 * <pre>{@code
 * AsyncHttpClient client = AsyncHttpClient.current();       // one per loop
 * HttpResponse response = await(client.fetch("https://example.com/"));
 * System.out.println(response.code() + " " + response.text());
 *
 * // several at once, in one coroutine
 * List<HttpResponse> all = await(multi(urls.stream().map(client::fetch).toList()));
 * }</pre>
 *
 * <p><b>What a fetch does</b> (the path of Tornado's {@code SimpleAsyncHTTPClient.fetch}, in Squall): it waits for one
 * of {@link HttpClientOptions#maxClients()} slots (FIFO), takes an idle keep-alive connection for the same
 * scheme, host, port, proxy and TLS settings or opens one ({@link TcpClient}: resolver off the loop, Happy
 * Eyeballs, then the proxy tunnel and TLS), writes the request, reads the response, follows redirects in
 * the same slot, and gives the connection back to the pool if it is clean. The returned future completes
 * on the loop, and an awaiting coroutine resumes there.
 *
 * <p><b>Errors.</b> With {@code raiseError} (the default) a status outside 2xx fails the future with
 * {@link HttpClientError}, which carries the response; without it the response is returned whatever its
 * status. Network failures always fail the future, each with its own {@link HttpClientException}
 * subclass that names the phase: {@link QueueTimeoutException}, {@link DnsFailureException},
 * {@link ConnectFailedException}, {@link HttpConnectTimeoutException}, {@link ProxyFailureException},
 * {@link TlsFailureException}, {@link RequestTimeoutException}, {@link ResponseTooLargeException},
 * {@link StreamClosedEarlyException}, {@link MalformedResponseException}. Cancelling the future abandons
 * the request and closes its connection.
 *
 * <p><b>Threads.</b> {@code fetch} may be called from any thread; the work runs on the client's loop.
 * For code without a loop, {@link BlockingHttpClient} owns one.
 */
public final class AsyncHttpClient implements AutoCloseable {
    private final IOLoop loop;
    private final HttpClientOptions options;
    private final boolean loopDefault;
    private final TcpClient tcpClient;
    private final Connector connector;
    private final ConnectionPool pool;
    private final Semaphore slots;
    private final HttpParser parser;
    private volatile boolean closed;

    private AsyncHttpClient(IOLoop loop, HttpClientOptions options, boolean loopDefault) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.options = Objects.requireNonNull(options, "options");
        this.loopDefault = loopDefault;
        Resolver resolver = options.resolver() != null ? options.resolver() : new DefaultResolver();
        if (!options.hostnameMapping().isEmpty()) {
            resolver = new OverrideResolver(resolver, options.hostnameMapping());
        }
        this.tcpClient = new TcpClient(resolver);
        this.connector = new Connector(loop, tcpClient, options);
        this.pool = new ConnectionPool(loop, options.idleConnectionTimeout(), options.maxIdleConnectionsPerHost());
        this.slots = new Semaphore(options.maxClients());
        this.parser = new HttpParser(options.maxHeaderSize());
    }

    /**
     * The client of the {@linkplain IOLoop#current() current loop}, with default options, made on first
     * use and closed with the loop (Tornado's pseudo-singleton, without the configure magic: for other
     * options, {@link #create(HttpClientOptions)} your own).
     */
    public static AsyncHttpClient current() {
        IOLoop loop = IOLoop.current();
        return loop.loopLocal(AsyncHttpClient.class, l -> new AsyncHttpClient(l, HttpClientOptions.DEFAULTS, true));
    }

    /** A new client on the current loop with default options; close it when done. */
    public static AsyncHttpClient create() {
        return create(HttpClientOptions.DEFAULTS);
    }

    /** A new client on the current loop; close it when done. */
    public static AsyncHttpClient create(HttpClientOptions options) {
        return create(IOLoop.current(), options);
    }

    /** A new client on {@code loop}; close it when done. */
    public static AsyncHttpClient create(IOLoop loop, HttpClientOptions options) {
        return new AsyncHttpClient(loop, options, false);
    }

    /** Fetches {@code url} with GET and every default; see {@link #fetch(HttpRequest, boolean)}. */
    public Future<HttpResponse> fetch(String url) {
        return fetch(HttpRequest.get(url), true);
    }

    /** Fetches {@code request}, failing on a status outside 2xx; see {@link #fetch(HttpRequest, boolean)}. */
    public Future<HttpResponse> fetch(HttpRequest request) {
        return fetch(request, true);
    }

    /**
     * Fetches {@code request}.
     *
     * @param raiseError whether a status outside 2xx fails the future with {@link HttpClientError}
     * @return the response, or a failure described in the class documentation
     * @throws IllegalStateException if the client is closed
     */
    public Future<HttpResponse> fetch(HttpRequest request, boolean raiseError) {
        if (closed) {
            throw new IllegalStateException("this AsyncHttpClient is closed");
        }
        return new Fetch(this, request, raiseError, false).start();
    }

    /**
     * Sends {@code request}, which asks for a protocol upgrade (its {@code Upgrade} and {@code Connection}
     * headers are the caller's), on a connection of its own (through the proxy and TLS settings as for
     * {@link #fetch}; never a pooled one after). If the server answers {@code 101 Switching Protocols}, the
     * result holds that response (without body) and the connection's stream, which the caller then owns and
     * must close; bytes the server sent after the head are still in the stream. Any other answer is a
     * normal response without stream, a status outside 2xx failing the future with {@link HttpClientError}.
     * Used by the WebSocket client; redirects are followed only if the request says so.
     *
     * @throws IllegalStateException if the client is closed
     */
    public Future<HttpUpgrade> upgrade(HttpRequest request) {
        if (closed) {
            throw new IllegalStateException("this AsyncHttpClient is closed");
        }
        Fetch fetch = new Fetch(this, request, true, true);
        return fetch.start().map(response -> new HttpUpgrade(response, fetch.upgradedStream()));
    }

    /**
     * Fetches {@code request} and calls {@code callback} on the loop with the response (whatever its
     * status) or the network error: the callback form, for code that is not a coroutine.
     */
    public void fetch(HttpRequest request, BiConsumer<? super HttpResponse, ? super Throwable> callback) {
        Objects.requireNonNull(callback, "callback");
        // The future may complete on the fetch's coroutine thread, outside the loop's scope (where
        // IOLoop.current() and inLoop() would not see the loop): hand the outcome to the loop itself.
        fetch(request, false).addDoneCallback(f -> loop.addCallback(() -> {
            if (f.isFailed() || f.isCancelled()) {
                callback.accept(null, f.exception());
            } else {
                callback.accept(f.result(), null);
            }
        }));
    }

    /** The loop this client runs on. */
    public IOLoop loop() {
        return loop;
    }

    /** This client's options. */
    public HttpClientOptions options() {
        return options;
    }

    /**
     * Closes the idle pooled connections and refuses new fetches; fetches under way finish, and their
     * connections close afterwards. Safe from any thread (the work runs on the loop if it is running).
     * Closing {@link #current()} makes the next call to {@code current()} create a new client.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loopDefault) {
            loop.removeLoopLocal(AsyncHttpClient.class, this);
        }
        if (loop.inLoopOrNotRunning()) {
            release();
        } else {
            loop.addCallback(this::release);
        }
    }

    private void release() {
        pool.close();
        tcpClient.close();
    }

    @Override
    public String toString() {
        return "AsyncHttpClient[" + loop + ", maxClients " + options.maxClients() + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ for the fetch machinery

    PoolKey poolKey(HttpRequest request) {
        URI uri = request.uri();
        ProxySettings proxy = request.proxy() != null ? request.proxy() : options.proxy();
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean tls = scheme.equals("https");
        return new PoolKey(scheme, host, port(uri), proxy, tls ? request.sslContext() : null,
                tls && request.validateCertificates(), request.allowIpv6());
    }

    /** The URL's port, or its scheme's default. */
    static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    ConnectionPool pool() {
        return pool;
    }

    Connector connector() {
        return connector;
    }

    Semaphore slots() {
        return slots;
    }

    HttpParser parser() {
        return parser;
    }
}
