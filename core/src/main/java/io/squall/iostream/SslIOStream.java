package io.squall.iostream;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IOStream} speaking TLS through an {@link SSLEngine}: Tornado's {@code SSLIOStream}.
 *
 * <p>Make one with {@link #server} for an accepted channel, {@link #client} for a channel that is
 * connected or will be with {@link #connect}, {@link #wrap} for an engine configured by hand, or
 * {@link IOStream#startTls} to upgrade a plain stream. The handshake starts as soon as the channel is
 * connected; reads and writes issued before it finishes wait for it. {@link #waitForHandshake()}
 * completes when it is done, or fails with a {@link StreamClosedError} whose cause is the
 * {@link javax.net.ssl.SSLHandshakeException} (untrusted certificate, wrong host name, plain text from
 * the peer, ...); pending reads fail the same way. Handshake failures are logged at debug level only.
 * The handshake's CPU work (the engine's delegated tasks) runs on the loop's
 * {@linkplain IOLoop#runInExecutor default executor}, not on the loop.
 *
 * <p>Clients verify the server: its certificate chain against the context's trust, and its name
 * against the {@code serverHostname} (endpoint identification "HTTPS"), which is also sent as SNI when
 * it is a host name rather than an IP address. To skip the name check, take an engine from
 * {@link #clientEngine}, set its {@link SSLParameters#setEndpointIdentificationAlgorithm endpoint
 * identification algorithm} to {@code ""} (null would leave it unchanged), and pass it to {@link #wrap}. Closing the stream sends close_notify when the
 * socket takes it without blocking.
 */
public class SslIOStream extends IOStream {
    private static final Logger LOG = LoggerFactory.getLogger(SslIOStream.class);

    /** The largest piece of a file read at once to be encrypted (one TLS record). */
    private static final int FILE_PIECE = 16 * 1024;

    private final TlsEngine tls;
    /** The buffer pieces of files are read into; allocated on the first file write. */
    private ByteBuffer fileBuffer;
    private final Future<Void> handshake = new Future<>();
    private boolean handshakeDone;
    /** Whether the handshake's delegated tasks are running on an executor thread. */
    private boolean tasksRunning;

    SslIOStream(SocketChannel channel, IOLoop loop, IOStreamOptions options, SSLEngine engine, byte[] received) {
        super(channel, loop, options);
        this.tls = new TlsEngine(Objects.requireNonNull(engine, "engine"), channel, received);
    }

    // ------------------------------------------------------------------ factories

    /** A TLS server stream on an accepted channel; the handshake starts at once. */
    public static SslIOStream server(SocketChannel channel, IOLoop loop, IOStreamOptions options, SSLContext context) {
        return server(channel, loop, options, context, List.of());
    }

    /**
     * A TLS server stream on an accepted channel offering {@code applicationProtocols} for ALPN, in
     * order of preference (empty: no ALPN); the handshake starts at once.
     */
    public static SslIOStream server(SocketChannel channel, IOLoop loop, IOStreamOptions options, SSLContext context,
                                     List<String> applicationProtocols) {
        return wrap(channel, loop, options, serverEngine(context, applicationProtocols));
    }

    /**
     * A TLS client stream that verifies the server against {@code serverHostname} and proposes
     * {@code applicationProtocols} for ALPN (empty: no ALPN). On a connected channel the handshake
     * starts at once; otherwise {@link #connect} starts it.
     */
    public static SslIOStream client(SocketChannel channel, IOLoop loop, IOStreamOptions options, SSLContext context,
                                     String serverHostname, List<String> applicationProtocols) {
        return wrap(channel, loop, options, clientEngine(context, serverHostname, applicationProtocols));
    }

    /** A TLS stream with an engine configured by the caller; its client mode decides the side. */
    public static SslIOStream wrap(SocketChannel channel, IOLoop loop, IOStreamOptions options, SSLEngine engine) {
        SslIOStream stream = new SslIOStream(channel, loop, options, engine, new byte[0]);
        stream.startTransport();
        return stream;
    }

    /**
     * A client engine for {@code serverHostname}: host name verification on, SNI set when the name is
     * not an IP address, ALPN offering {@code applicationProtocols} if not empty.
     *
     * @throws NullPointerException if {@code serverHostname} is null: a client cannot verify a server without it
     */
    public static SSLEngine clientEngine(SSLContext context, String serverHostname, List<String> applicationProtocols) {
        Objects.requireNonNull(serverHostname, "serverHostname (the name the server's certificate is checked against)");
        String host = normalizeHost(serverHostname);
        SSLEngine engine = context.createSSLEngine(host, -1);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            } catch (IllegalArgumentException e) {
                LOG.debug("Not sending SNI for {}: {}", host, e.getMessage());
            }
        }
        setApplicationProtocols(parameters, applicationProtocols);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** A server engine offering {@code applicationProtocols} for ALPN if not empty. */
    public static SSLEngine serverEngine(SSLContext context, List<String> applicationProtocols) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        setApplicationProtocols(parameters, applicationProtocols);
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static void setApplicationProtocols(SSLParameters parameters, List<String> protocols) {
        if (!protocols.isEmpty()) {
            parameters.setApplicationProtocols(protocols.toArray(String[]::new));
        }
    }

    private static String normalizeHost(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ TLS state

    /** The TLS engine may hold decrypted bytes no READ event will announce: always try. */
    @Override
    boolean inlineReadMayFindBytes() {
        return true;
    }

    /**
     * Completes once the handshake is done; fails with a {@link StreamClosedError} (cause: the handshake
     * failure) if the stream closes first. Every call returns the same future.
     */
    public Future<Void> waitForHandshake() {
        return handshake;
    }

    /** The TLS session: the negotiated protocol, cipher suite and peer certificates once the handshake is done. */
    public SSLSession session() {
        return tls.engine().getSession();
    }

    /** The protocol ALPN agreed on, or null before the handshake or if none was agreed. */
    public String applicationProtocol() {
        String protocol = tls.engine().getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    /** Whether the peer's close_notify arrived (for tests). */
    boolean closeNotifyReceived() {
        return tls.engine().isInboundDone();
    }

    /**
     * Connects, then completes the handshake; the future completes with this stream once both are
     * done, or fails with a {@link StreamClosedError} whose cause says which failed.
     */
    @Override
    public Future<IOStream> connect(SocketAddress address) {
        super.connect(address);
        return handshake.map(v -> this);
    }

    /**
     * Not supported: the stream already speaks TLS.
     *
     * @throws IllegalStateException always
     */
    @Override
    public Future<SslIOStream> startTls(SSLEngine engine) {
        throw new IllegalStateException("stream already speaks TLS");
    }

    // ------------------------------------------------------------------ transport hooks

    @Override
    boolean transportReady() {
        return handshakeDone;
    }

    @Override
    boolean advanceTransport() throws IOException {
        if (tasksRunning) {
            return false;
        }
        if (!tls.handshake()) {
            if (tls.needsTasks()) {
                runTasksOffLoop();
            }
            return false;
        }
        handshakeDone = true;
        LOG.debug("TLS handshake done on {}: {} {}", this, session().getProtocol(), session().getCipherSuite());
        handshake.trySetResult(null);
        return true;
    }

    /**
     * Runs the engine's delegated tasks (the handshake's key exchange, signatures and certificate
     * checks: about a millisecond of CPU each) on the loop's executor, so the loop serves other
     * connections meanwhile, and resumes the handshake on the loop once they are done.
     */
    private void runTasksOffLoop() {
        tasksRunning = true;
        loop().runInExecutor(null, () -> {
            tls.runDelegatedTasks();
            return null;
        }).addDoneCallback(done -> {
            tasksRunning = false;
            if (done.isFailed()) {
                fail(done.exception());
            } else {
                resumeTransport();
            }
        });
    }

    @Override
    int transportRead(ByteBuffer dst) throws IOException {
        return tls.read(dst);
    }

    @Override
    long transportWrite(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return tls.write(srcs, offset, length);
    }

    /**
     * TLS cannot send from the page cache: a bounded piece of the file is read into one reused buffer and
     * encrypted; what the engine did not take is read again next time (positional reads).
     */
    @Override
    long transportWriteFile(FileChannel file, long position, long count) throws IOException {
        if (fileBuffer == null) {
            fileBuffer = ByteBuffer.allocate(FILE_PIECE);
        }
        fileBuffer.clear().limit((int) Math.min(FILE_PIECE, count));
        int read = file.read(fileBuffer, position);
        if (read <= 0) {
            return 0;
        }
        fileBuffer.flip();
        return tls.write(new ByteBuffer[] {fileBuffer}, 0, 1);
    }

    @Override
    boolean transportHasPendingOutput() {
        return tls.hasPendingOutput();
    }

    @Override
    int transportInterest() {
        if (!handshakeDone) {
            if (tasksRunning) {
                return 0;
            }
            return tls.handshakeWantsWrite() ? IOLoop.WRITE : IOLoop.READ;
        }
        return tls.hasPendingOutput() ? IOLoop.WRITE : 0;
    }

    @Override
    void transportConnected() throws IOException {
        tls.engine().beginHandshake();
    }

    @Override
    void transportShutdown() {
        try {
            tls.shutdown();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not send close_notify on {}: {}", this, e.toString());
        }
    }

    @Override
    void transportClosed(StreamClosedError error) {
        handshake.trySetException(error);
    }
}
