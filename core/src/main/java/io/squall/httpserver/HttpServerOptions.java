package io.squall.httpserver;

import io.squall.http.HttpMessageDelegate;
import io.squall.iostream.IOStreamOptions;
import io.squall.net.NetUtil;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Options of an {@link HttpServer}, with Tornado's names and bounded defaults. Build with
 * {@link #builder()}.
 *
 * <p>The time limits default to what a server facing the internet can live with, not to Tornado's one
 * hour (which lets a few thousand slow clients hold their connections for an hour each):
 * <ul>
 *   <li>{@code idleConnectionTimeout} 60 s: a connection waiting for the first byte of a request (a new
 *       one, or keep-alive between requests). nginx keeps idle keep-alive connections 75 s and gives a
 *       new one 60 s for its head; browsers reuse an idle connection within seconds or not at all.
 *       With {@code tls}, the first request's wait includes the TLS handshake, which is thus bounded by
 *       it too (nginx's handshake runs under its 60 s {@code client_header_timeout} the same way): a
 *       client that connects and sends nothing, or stalls within its handshake, is closed.
 *   <li>{@code headerTimeout} 30 s: from the first byte of a head to its end. A head is at most
 *       {@code maxHeaderSize} (64 KiB) and arrives in one or two packets from any real client; 30 s is
 *       ample even for a congested mobile link, and bounds a slowloris client trickling its head.
 *   <li>{@code bodyProgressTimeout} 30 s: the longest wait for more bytes of a body (nginx's
 *       {@code client_body_timeout} is the same kind of limit, 60 s): a client that stops sending is cut
 *       off whatever its declared length, while a slow but moving upload goes on.
 *   <li>{@code sendTimeout} 60 s: the longest a response's write may wait without the client taking any
 *       of its bytes (nginx's {@code send_timeout}, 60 s): a client that stops reading is cut off.
 *   <li>{@code bodyTimeout} 5 min: the whole body (Node's {@code requestTimeout} is 5 min too); a handler
 *       that expects long uploads raises it for its request ({@link HttpConnection#setBodyTimeout}).
 * </ul>
 * A body timeout is answered {@code 408 Request Timeout} (with {@code Connection: close}) when no
 * response has started; an idle or header timeout just closes, as nginx does.
 *
 * <p>{@code maxConnections} defaults to the process's file-descriptor limit less a reserve (see
 * {@link NetUtil#defaultMaxConnections()}), so that a flood of connections makes the server stop
 * accepting for a while rather than run out of descriptors.
 *
 * @param noKeepAlive close every connection after one response
 * @param xheaders trust {@code X-Real-Ip}/{@code X-Forwarded-For} and {@code X-Scheme}/{@code X-Forwarded-Proto}
 *     for the request's remote address and protocol (behind a proxy)
 * @param trustedDownstream proxies whose addresses are skipped when reading {@code X-Forwarded-For}
 * @param decompressRequest accept gzip-encoded request bodies and decompress them (size limits apply to the result)
 * @param chunkSize the largest body piece handed to {@link HttpMessageDelegate#dataReceived}
 * @param maxHeaderSize the largest request head (request line and headers); larger → 431
 * @param maxBodySize the largest request body; larger → 413
 * @param idleConnectionTimeout how long a connection may wait for the first byte of its next request
 *     (for the first request of a TLS connection, the handshake included)
 * @param headerTimeout how long a request head may take to arrive, from its first byte
 * @param bodyTimeout how long reading one request body may take
 * @param bodyProgressTimeout how long reading a request body may wait for more bytes
 * @param sendTimeout how long writing a response may go without the client taking any bytes
 * @param tls serve HTTPS with this context; null for plain HTTP
 * @param backlog the listen backlog
 * @param maxConnections how many connections the server holds open at most; beyond it, it stops accepting
 *     until one closes (see {@link io.squall.net.TcpServer.Builder#maxConnections})
 * @param streamOptions buffer limits of each connection's stream
 */
public record HttpServerOptions(boolean noKeepAlive, boolean xheaders, Set<String> trustedDownstream,
                                boolean decompressRequest, int chunkSize, int maxHeaderSize, long maxBodySize,
                                Duration idleConnectionTimeout, Duration headerTimeout, Duration bodyTimeout,
                                Duration bodyProgressTimeout, Duration sendTimeout, SSLContext tls, int backlog, int maxConnections,
                                IOStreamOptions streamOptions) {
    /**
     * The defaults: keep-alive, 64 KiB chunks and heads, 100 MiB bodies, 60 s idle, 30 s for a head, 30 s
     * without body bytes, 5 min for a body, 60 s for a write the client does not read; connections up to the file-descriptor limit less a reserve.
     */
    public static final HttpServerOptions DEFAULTS = builder().build();

    /** Validates the options. */
    public HttpServerOptions {
        trustedDownstream = Set.copyOf(trustedDownstream);
        requirePositive(idleConnectionTimeout, "idleConnectionTimeout");
        requirePositive(headerTimeout, "headerTimeout");
        requirePositive(bodyTimeout, "bodyTimeout");
        requirePositive(bodyProgressTimeout, "bodyProgressTimeout");
        requirePositive(sendTimeout, "sendTimeout");
        Objects.requireNonNull(streamOptions, "streamOptions");
        if (chunkSize <= 0 || maxHeaderSize <= 0 || maxBodySize < 0 || backlog <= 0 || maxConnections <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }

    private static void requirePositive(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + timeout);
        }
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link HttpServerOptions}. */
    public static final class Builder {
        private boolean noKeepAlive;
        private boolean xheaders;
        private Set<String> trustedDownstream = Set.of();
        private boolean decompressRequest;
        private int chunkSize = 64 * 1024;
        private int maxHeaderSize = 64 * 1024;
        private long maxBodySize = 100L * 1024 * 1024;
        private Duration idleConnectionTimeout = Duration.ofSeconds(60);
        private Duration headerTimeout = Duration.ofSeconds(30);
        private Duration bodyTimeout = Duration.ofMinutes(5);
        private Duration bodyProgressTimeout = Duration.ofSeconds(30);
        private Duration sendTimeout = Duration.ofSeconds(60);
        private SSLContext tls;
        private int backlog = NetUtil.DEFAULT_BACKLOG;
        private int maxConnections = NetUtil.defaultMaxConnections();
        private IOStreamOptions streamOptions = IOStreamOptions.DEFAULTS;

        private Builder() {}

        /** See {@link HttpServerOptions#noKeepAlive()}. */
        public Builder noKeepAlive(boolean on) { noKeepAlive = on; return this; }

        /** See {@link HttpServerOptions#xheaders()}. */
        public Builder xheaders(boolean on) { xheaders = on; return this; }

        /** See {@link HttpServerOptions#trustedDownstream()}. */
        public Builder trustedDownstream(Set<String> proxies) { trustedDownstream = proxies; return this; }

        /** See {@link HttpServerOptions#decompressRequest()}. */
        public Builder decompressRequest(boolean on) { decompressRequest = on; return this; }

        /** See {@link HttpServerOptions#chunkSize()}. */
        public Builder chunkSize(int bytes) { chunkSize = bytes; return this; }

        /** See {@link HttpServerOptions#maxHeaderSize()}. */
        public Builder maxHeaderSize(int bytes) { maxHeaderSize = bytes; return this; }

        /** See {@link HttpServerOptions#maxBodySize()}. */
        public Builder maxBodySize(long bytes) { maxBodySize = bytes; return this; }

        /** See {@link HttpServerOptions#idleConnectionTimeout()}. */
        public Builder idleConnectionTimeout(Duration timeout) { idleConnectionTimeout = timeout; return this; }

        /** See {@link HttpServerOptions#headerTimeout()}. */
        public Builder headerTimeout(Duration timeout) { headerTimeout = timeout; return this; }

        /** See {@link HttpServerOptions#bodyTimeout()}. */
        public Builder bodyTimeout(Duration timeout) { bodyTimeout = timeout; return this; }

        /** See {@link HttpServerOptions#bodyProgressTimeout()}. */
        public Builder bodyProgressTimeout(Duration timeout) { bodyProgressTimeout = timeout; return this; }

        /** See {@link HttpServerOptions#sendTimeout()}. */
        public Builder sendTimeout(Duration timeout) { sendTimeout = timeout; return this; }

        /** See {@link HttpServerOptions#maxConnections()}. */
        public Builder maxConnections(int connections) { maxConnections = connections; return this; }

        /** See {@link HttpServerOptions#tls()}. */
        public Builder tls(SSLContext context) { tls = context; return this; }

        /** See {@link HttpServerOptions#backlog()}. */
        public Builder backlog(int backlog) { this.backlog = backlog; return this; }

        /** See {@link HttpServerOptions#streamOptions()}. */
        public Builder streamOptions(IOStreamOptions options) { streamOptions = options; return this; }

        /** Builds the options. */
        public HttpServerOptions build() {
            return new HttpServerOptions(noKeepAlive, xheaders, trustedDownstream, decompressRequest, chunkSize,
                    maxHeaderSize, maxBodySize, idleConnectionTimeout, headerTimeout, bodyTimeout, bodyProgressTimeout,
                    sendTimeout, tls, backlog, maxConnections, streamOptions);
        }
    }
}
