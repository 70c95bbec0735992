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
 * @param noKeepAlive close every connection after one response
 * @param xheaders trust {@code X-Real-Ip}/{@code X-Forwarded-For} and {@code X-Scheme}/{@code X-Forwarded-Proto}
 *     for the request's remote address and protocol (behind a proxy)
 * @param trustedDownstream proxies whose addresses are skipped when reading {@code X-Forwarded-For}
 * @param decompressRequest accept gzip-encoded request bodies and decompress them (size limits apply to the result)
 * @param chunkSize the largest body piece handed to {@link HttpMessageDelegate#dataReceived}
 * @param maxHeaderSize the largest request head (request line and headers); larger → 431
 * @param maxBodySize the largest request body; larger → 413
 * @param idleConnectionTimeout how long a connection may wait for (the head of) its next request
 * @param bodyTimeout how long reading one request body may take
 * @param tls serve HTTPS with this context; null for plain HTTP
 * @param backlog the listen backlog
 * @param streamOptions buffer limits of each connection's stream
 */
public record HttpServerOptions(boolean noKeepAlive, boolean xheaders, Set<String> trustedDownstream,
                                boolean decompressRequest, int chunkSize, int maxHeaderSize, long maxBodySize,
                                Duration idleConnectionTimeout, Duration bodyTimeout, SSLContext tls, int backlog,
                                IOStreamOptions streamOptions) {
    /** The defaults: keep-alive, 64 KiB chunks and heads, 100 MiB bodies, 1 h idle and body timeouts. */
    public static final HttpServerOptions DEFAULTS = builder().build();

    /** Validates the options. */
    public HttpServerOptions {
        trustedDownstream = Set.copyOf(trustedDownstream);
        Objects.requireNonNull(idleConnectionTimeout, "idleConnectionTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(streamOptions, "streamOptions");
        if (chunkSize <= 0 || maxHeaderSize <= 0 || maxBodySize < 0 || backlog <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
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
        private Duration idleConnectionTimeout = Duration.ofHours(1);
        private Duration bodyTimeout = Duration.ofHours(1);
        private SSLContext tls;
        private int backlog = NetUtil.DEFAULT_BACKLOG;
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

        /** See {@link HttpServerOptions#bodyTimeout()}. */
        public Builder bodyTimeout(Duration timeout) { bodyTimeout = timeout; return this; }

        /** See {@link HttpServerOptions#tls()}. */
        public Builder tls(SSLContext context) { tls = context; return this; }

        /** See {@link HttpServerOptions#backlog()}. */
        public Builder backlog(int backlog) { this.backlog = backlog; return this; }

        /** See {@link HttpServerOptions#streamOptions()}. */
        public Builder streamOptions(IOStreamOptions options) { streamOptions = options; return this; }

        /** Builds the options. */
        public HttpServerOptions build() {
            return new HttpServerOptions(noKeepAlive, xheaders, trustedDownstream, decompressRequest, chunkSize,
                    maxHeaderSize, maxBodySize, idleConnectionTimeout, bodyTimeout, tls, backlog, streamOptions);
        }
    }
}
