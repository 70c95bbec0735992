package io.squall.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a WebSocket connection, on either side (build them with {@link #builder()}).
 *
 * @param maxMessageSize the largest message accepted, after decompression (a larger one closes the
 *     connection with 1009); 10 MiB by default
 * @param pingInterval how often to ping the peer, or null (the default) for never; without pings a peer
 *     that vanished without closing TCP (a pulled cable) is only noticed by the next write
 * @param pingTimeout how long a ping may go unanswered before the connection is considered dead and
 *     closed; null means {@code pingInterval}
 * @param closeTimeout how long to wait for the peer's side of the closing handshake before closing TCP; 5 s
 * @param compression permessage-deflate settings, or null (the default) for no compression
 * @param subprotocols the subprotocols a client offers, in order of preference (a server chooses with
 *     {@link WebSocketHandler#selectSubprotocol})
 */
public record WebSocketOptions(int maxMessageSize, Duration pingInterval, Duration pingTimeout, Duration closeTimeout,
                               DeflateOptions compression, List<String> subprotocols) {
    /** 10 MiB, Tornado's default. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 10 * 1024 * 1024;
    /** Tornado's wait for the closing handshake. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The defaults: 10 MiB messages, no pings, 5 s closing handshake, no compression, no subprotocols. */
    public static final WebSocketOptions DEFAULTS = builder().build();

    /** Checks the values. */
    public WebSocketOptions {
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive");
        }
        if (pingInterval != null && (pingInterval.isNegative() || pingInterval.isZero())) {
            throw new IllegalArgumentException("pingInterval must be positive (null for no pings)");
        }
        if (pingTimeout != null && (pingTimeout.isNegative() || pingTimeout.isZero())) {
            throw new IllegalArgumentException("pingTimeout must be positive (null for pingInterval)");
        }
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        subprotocols = List.copyOf(subprotocols);
    }

    /** The ping timeout in effect: {@link #pingTimeout()}, or {@link #pingInterval()} if that is null. */
    public Duration effectivePingTimeout() {
        return pingTimeout != null ? pingTimeout : pingInterval;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxMessageSize = maxMessageSize;
        b.pingInterval = pingInterval;
        b.pingTimeout = pingTimeout;
        b.closeTimeout = closeTimeout;
        b.compression = compression;
        b.subprotocols = subprotocols;
        return b;
    }

    /** Builds {@link WebSocketOptions}. */
    public static final class Builder {
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private Duration pingInterval;
        private Duration pingTimeout;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private DeflateOptions compression;
        private List<String> subprotocols = List.of();

        private Builder() {}

        /** See {@link WebSocketOptions#maxMessageSize()}. */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** See {@link WebSocketOptions#pingInterval()}. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /** See {@link WebSocketOptions#pingTimeout()}. */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = timeout;
            return this;
        }

        /** See {@link WebSocketOptions#closeTimeout()}. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /** Enables permessage-deflate with these settings (null disables it). */
        public Builder compression(DeflateOptions options) {
            this.compression = options;
            return this;
        }

        /** Enables permessage-deflate with {@link DeflateOptions#DEFAULTS}. */
        public Builder compression() {
            return compression(DeflateOptions.DEFAULTS);
        }

        /** See {@link WebSocketOptions#subprotocols()}. */
        public Builder subprotocols(List<String> subprotocols) {
            this.subprotocols = subprotocols;
            return this;
        }

        /** The options. */
        public WebSocketOptions build() {
            return new WebSocketOptions(maxMessageSize, pingInterval, pingTimeout, closeTimeout, compression, subprotocols);
        }
    }
}
