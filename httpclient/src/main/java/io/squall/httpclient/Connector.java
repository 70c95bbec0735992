package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.gen.Coroutines;
import io.squall.http.HttpInputException;
import io.squall.http1.BodyFraming;
import io.squall.http1.HeadReader;
import io.squall.http1.HttpParser;
import io.squall.http1.ParsedResponseHead;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import io.squall.iostream.IOStream;
import io.squall.iostream.IOStreamOptions;
import io.squall.iostream.SslIOStream;
import io.squall.net.AddressFamily;
import io.squall.net.ConnectOptions;
import io.squall.net.ConnectTimeoutException;
import io.squall.net.TcpClient;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLContext;

/**
 * Opens the connections of a client: TCP to the server or to its proxy (through {@link TcpClient}:
 * resolver off the loop, Happy Eyeballs), a {@code CONNECT} tunnel through the proxy for https and for
 * protocol upgrades (WebSocket, RFC 6455 §4.1), then
 * the TLS handshake. The connect timeout bounds all of it together; each failure becomes the exception
 * that names its phase. Runs in the fetch's coroutine.
 */
final class Connector {
    private final IOLoop loop;
    private final TcpClient tcpClient;
    private final HttpClientOptions options;
    private final HttpParser parser;

    Connector(IOLoop loop, TcpClient tcpClient, HttpClientOptions options) {
        this.loop = loop;
        this.tcpClient = tcpClient;
        this.options = options;
        this.parser = new HttpParser(options.maxHeaderSize());
    }

    /** A new connection for {@code request} (whose route and TLS settings {@code key} holds). */
    ClientConnection open(Fetch fetch, HttpRequest request, PoolKey key) {
        ProxySettings proxy = key.proxy();
        String host = proxy != null ? proxy.host() : key.host();
        int port = proxy != null ? proxy.port() : key.port();
        String target = proxy != null ? "proxy " + proxy.address() : key.authority();
        Duration connectTimeout = request.connectTimeout().isZero() ? null : request.connectTimeout();
        long deadline = connectTimeout == null ? Long.MAX_VALUE : loop.time() + connectTimeout.toNanos();

        long started = loop.time();
        fetch.enter(FetchPhase.RESOLVE);
        AddressFamily family = key.allowIpv6() ? AddressFamily.UNSPEC : AddressFamily.INET;
        Future<List<InetSocketAddress>> resolving = tcpClient.resolve(host, port, family);
        List<InetSocketAddress> addresses;
        try {
            addresses = bounded(resolving, deadline, resolving::cancel, target, FetchPhase.RESOLVE, connectTimeout,
                    request);
        } catch (HttpConnectTimeoutException | CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw connectError(e, host, target, connectTimeout, request);
        }
        fetch.enter(FetchPhase.CONNECT);
        Future<IOStream> connecting = tcpClient.connect(host, addresses, ConnectOptions.builder()
                .timeout(remaining(deadline))
                .family(family)
                .streamOptions(IOStreamOptions.DEFAULTS.withReadChunkSize(options.chunkSize()))
                .build());
        IOStream stream;
        try {
            stream = await(connecting);
        } catch (CancellationException e) {
            connecting.cancel(); // the fetch was abandoned: so is the connect, and a late stream is closed
            throw e;
        } catch (RuntimeException e) {
            throw connectError(e, host, target, connectTimeout, request);
        }
        try {
            if (proxy != null && (key.tls() || fetch.upgrading())) { // an upgraded connection is a tunnel too
                fetch.enter(FetchPhase.PROXY);
                tunnel(stream, proxy, key, request, deadline, connectTimeout);
            }
            fetch.connectTime(loop.time() - started);
            if (key.tls()) {
                long handshakeStarted = loop.time();
                fetch.enter(FetchPhase.TLS_HANDSHAKE);
                Future<SslIOStream> handshake = stream.startTls(SslIOStream.clientEngine(
                        tlsContext(request), key.host(), List.of("http/1.1")));
                stream = bounded(handshake, deadline, handshake::cancel, key.authority(), FetchPhase.TLS_HANDSHAKE,
                        connectTimeout, request);
                fetch.tlsTime(loop.time() - handshakeStarted);
            }
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
        stream.setNoDelay(true);
        return new ClientConnection(key, stream, options.maxHeaderSize());
    }

    /** Asks the proxy for a tunnel to the server and checks its answer. */
    private void tunnel(IOStream stream, ProxySettings proxy, PoolKey key, HttpRequest request, long deadline,
                        Duration connectTimeout) {
        String authority = key.authority();
        String userAgent = request.userAgent() != null ? request.userAgent() : options.userAgent();
        HeadReader headReader = new HeadReader(stream, options.maxHeaderSize());
        Future<ParsedResponseHead> answer = Coroutines.spawnOn(loop, () -> {
            await(stream.write(RequestHead.connect(authority, userAgent, proxy.authorization())));
            byte[] head = headReader.read(n -> stream.readBytes(n, true));
            return parser.parseResponseHead(head, "CONNECT");
        });
        ParsedResponseHead head;
        try {
            head = bounded(answer, deadline, answer::cancel, "proxy " + proxy.address(), FetchPhase.PROXY,
                    connectTimeout, request);
        } catch (HttpConnectTimeoutException e) {
            throw e;
        } catch (HttpInputException e) {
            throw new MalformedResponseException("Proxy " + proxy.address() + " sent an invalid answer to CONNECT: "
                    + e.getMessage(), FetchPhase.PROXY, request, e);
        } catch (RuntimeException e) {
            throw new StreamClosedEarlyException("Proxy " + proxy.address() + " closed the connection before "
                    + "answering CONNECT " + authority, FetchPhase.PROXY, request, Exceptions.unwrap(e));
        }
        int code = head.startLine().code();
        if (code < 200 || code >= 300 || !(head.framing() instanceof BodyFraming.None)) {
            throw new ProxyFailureException(proxy.address(), authority, code, head.startLine().reason(), request);
        }
    }

    /** What is left until {@code deadline} (a {@link IOLoop#time()}), or null for none. */
    private Duration remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? null : Duration.ofNanos(Math.max(1, deadline - loop.time()));
    }

    /**
     * Awaits a connect-phase {@code future}, abandoning it (with {@code abandon}) and failing with a
     * connect timeout if {@code deadline} passes first.
     */
    private <T> T bounded(Future<T> future, long deadline, Runnable abandon, String target, FetchPhase phase,
                          Duration connectTimeout, HttpRequest request) {
        boolean[] expired = new boolean[1];
        Timeout timer = deadline == Long.MAX_VALUE || future.isDone() ? null : loop.callAt(deadline, () -> {
            expired[0] = true;
            abandon.run();
        });
        try {
            return awaitPhase(future, target, phase, request);
        } catch (RuntimeException e) {
            if (expired[0]) { // the timer abandoned the phase: its failure is the timeout
                throw new HttpConnectTimeoutException(target, phase, connectTimeout, request, null);
            }
            if (e instanceof CancellationException) {
                abandon.run(); // the fetch itself was abandoned
            }
            throw e;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private static <T> T awaitPhase(Future<T> future, String target, FetchPhase phase, HttpRequest request) {
        try {
            return await(future);
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable cause = Exceptions.unwrap(e);
            if (phase == FetchPhase.TLS_HANDSHAKE && !future.isCancelled()) {
                throw new TlsFailureException(target, request, Exceptions.rootCause(cause));
            }
            throw e;
        }
    }

    private static HttpClientException connectError(RuntimeException e, String host, String target,
                                                    Duration connectTimeout, HttpRequest request) {
        Throwable cause = Exceptions.unwrap(e);
        if (cause instanceof ConnectTimeoutException timeout) {
            FetchPhase phase = timeout.phase() == ConnectTimeoutException.Phase.RESOLVE ? FetchPhase.RESOLVE
                    : FetchPhase.CONNECT;
            return new HttpConnectTimeoutException(target, phase, connectTimeout, request, timeout);
        }
        if (cause instanceof UnknownHostException) {
            return new DnsFailureException(host, request, cause);
        }
        return new ConnectFailedException(target, request, Exceptions.rootCause(cause));
    }

    private static SSLContext tlsContext(HttpRequest request) {
        if (request.sslContext() != null) {
            return request.sslContext();
        }
        if (!request.validateCertificates()) {
            return TrustAll.CONTEXT;
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }
}
