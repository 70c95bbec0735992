package io.squall.httpclient;

import io.squall.http1.HttpParser;
import io.squall.iostream.IOStreamOptions;
import io.squall.net.Resolver;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of an {@link AsyncHttpClient}, built with {@link #builder()}; every setting has a bounded
 * default.
 *
 * @param maxClients requests in flight at once (10, Tornado's default); more wait in a FIFO queue
 * @param maxHeaderSize the largest response head accepted, in bytes (64 KiB)
 * @param maxBodySize the largest response body accepted after decompression, in bytes (100 MiB)
 * @param chunkSize how much is read (and handed to a streaming callback) at a time (64 KiB)
 * @param idleConnectionTimeout how long an idle keep-alive connection is kept for reuse (60 s); zero
 *     turns pooling off: every request then says {@code Connection: close}
 * @param maxIdleConnectionsPerHost idle connections kept per scheme, host, port and TLS settings (same as
 *     {@code maxClients} by default)
 * @param resolver how host names are resolved (null: the JDK's resolver, off the loop)
 * @param hostnameMapping host names answered from this map instead of DNS (name to IP literal or name)
 * @param proxy the proxy for requests that do not name one, or null
 * @param userAgent the User-Agent of requests that set none ({@code Squall/<version>})
 */
public record HttpClientOptions(int maxClients, int maxHeaderSize, long maxBodySize, int chunkSize,
                                Duration idleConnectionTimeout, int maxIdleConnectionsPerHost, Resolver resolver,
                                Map<String, String> hostnameMapping, ProxySettings proxy, String userAgent) {
    /** The default number of requests in flight: 10. */
    public static final int DEFAULT_MAX_CLIENTS = 10;
    /** The default response body limit: 100 MiB. */
    public static final long DEFAULT_MAX_BODY_SIZE = IOStreamOptions.DEFAULT_MAX_BUFFER_SIZE;
    /** The default read size: 64 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 65536;
    /** The default idle connection lifetime: 60 s. */
    public static final Duration DEFAULT_IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(60);
    /** Every default. */
    public static final HttpClientOptions DEFAULTS = builder().build();

    /** Checks every setting. */
    public HttpClientOptions {
        positive(maxClients, "maxClients");
        positive(maxHeaderSize, "maxHeaderSize");
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("maxBodySize must not be negative: " + maxBodySize);
        }
        positive(chunkSize, "chunkSize");
        Durations.requireNonNegative(idleConnectionTimeout, "idleConnectionTimeout");
        if (maxIdleConnectionsPerHost < 0) {
            throw new IllegalArgumentException("maxIdleConnectionsPerHost must not be negative: " + maxIdleConnectionsPerHost);
        }
        hostnameMapping = Map.copyOf(Objects.requireNonNull(hostnameMapping, "hostnameMapping"));
        Objects.requireNonNull(userAgent, "userAgent");
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether idle connections are kept for reuse. */
    boolean pooling() {
        return !idleConnectionTimeout.isZero() && maxIdleConnectionsPerHost > 0;
    }

    /** Builds {@link HttpClientOptions}. */
    public static final class Builder {
        private int maxClients = DEFAULT_MAX_CLIENTS;
        private int maxHeaderSize = HttpParser.DEFAULT_MAX_HEADER_SIZE;
        private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private Duration idleConnectionTimeout = DEFAULT_IDLE_CONNECTION_TIMEOUT;
        private Integer maxIdleConnectionsPerHost;
        private Resolver resolver;
        private Map<String, String> hostnameMapping = Map.of();
        private ProxySettings proxy;
        private String userAgent = "Squall/" + io.squall.http.SquallVersion.VALUE;

        private Builder() {}

        /** See {@link HttpClientOptions#maxClients()}. */
        public Builder maxClients(int maxClients) {
            this.maxClients = maxClients;
            return this;
        }

        /** See {@link HttpClientOptions#maxHeaderSize()}. */
        public Builder maxHeaderSize(int maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
            return this;
        }

        /** See {@link HttpClientOptions#maxBodySize()}. */
        public Builder maxBodySize(long maxBodySize) {
            this.maxBodySize = maxBodySize;
            return this;
        }

        /** See {@link HttpClientOptions#chunkSize()}. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** See {@link HttpClientOptions#idleConnectionTimeout()}. */
        public Builder idleConnectionTimeout(Duration timeout) {
            this.idleConnectionTimeout = timeout;
            return this;
        }

        /** See {@link HttpClientOptions#maxIdleConnectionsPerHost()}. */
        public Builder maxIdleConnectionsPerHost(int max) {
            this.maxIdleConnectionsPerHost = max;
            return this;
        }

        /** See {@link HttpClientOptions#resolver()}. */
        public Builder resolver(Resolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /** See {@link HttpClientOptions#hostnameMapping()}. */
        public Builder hostnameMapping(Map<String, String> mapping) {
            this.hostnameMapping = mapping;
            return this;
        }

        /** See {@link HttpClientOptions#proxy()}. */
        public Builder proxy(ProxySettings proxy) {
            this.proxy = proxy;
            return this;
        }

        /** See {@link HttpClientOptions#userAgent()}. */
        public Builder userAgent(String userAgent) {
            io.squall.http.HttpHeaders.validateValue(userAgent);
            this.userAgent = userAgent;
            return this;
        }

        /** The options. */
        public HttpClientOptions build() {
            return new HttpClientOptions(maxClients, maxHeaderSize, maxBodySize, chunkSize, idleConnectionTimeout,
                    maxIdleConnectionsPerHost == null ? maxClients : maxIdleConnectionsPerHost, resolver,
                    hostnameMapping, proxy, userAgent);
        }
    }
}
