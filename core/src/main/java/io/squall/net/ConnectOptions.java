package io.squall.net;

import io.squall.iostream.IOStreamOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How {@link TcpClient#connect(String, int, ConnectOptions)} connects: overall timeout, address
 * family, TLS, local address and stream limits. Build with {@link #builder()}.
 *
 * @param timeout how long resolving, connecting and the TLS handshake may take together; null: no limit
 * @param family which address family to connect with ({@link AddressFamily#UNSPEC}: either)
 * @param tls the TLS context for an encrypted connection; null for plain TCP
 * @param serverHostname the name to verify the server's certificate against and send as SNI; null: the host
 * @param applicationProtocols ALPN protocols to propose, most preferred first
 * @param sourceAddress the local address to connect from; null: any
 * @param sourcePort the local port to connect from; 0: any
 * @param streamOptions buffer limits of the connected stream
 */
public record ConnectOptions(Duration timeout, AddressFamily family, SSLContext tls, String serverHostname,
                             List<String> applicationProtocols, InetAddress sourceAddress, int sourcePort,
                             IOStreamOptions streamOptions) {
    /** Tornado's defaults: no timeout, either family, plain TCP. */
    public static final ConnectOptions DEFAULTS = builder().build();

    /** Validates the options. */
    public ConnectOptions {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(streamOptions, "streamOptions");
        applicationProtocols = List.copyOf(applicationProtocols);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (sourcePort < 0 || sourcePort > 65535) {
            throw new IllegalArgumentException("bad source port: " + sourcePort);
        }
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link ConnectOptions}. */
    public static final class Builder {
        private Duration timeout;
        private AddressFamily family = AddressFamily.UNSPEC;
        private SSLContext tls;
        private String serverHostname;
        private List<String> applicationProtocols = List.of();
        private InetAddress sourceAddress;
        private int sourcePort;
        private IOStreamOptions streamOptions = IOStreamOptions.DEFAULTS;

        private Builder() {}

        /** Overall deadline for resolving, connecting and the TLS handshake. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Restricts the address family. */
        public Builder family(AddressFamily family) {
            this.family = family;
            return this;
        }

        /** Connects with TLS using {@code context} (its trust decides which servers are accepted). */
        public Builder tls(SSLContext context) {
            this.tls = context;
            return this;
        }

        /** The name the server's certificate must match (and the SNI); default: the host connected to. */
        public Builder serverHostname(String name) {
            this.serverHostname = name;
            return this;
        }

        /** ALPN protocols to propose with TLS. */
        public Builder applicationProtocols(List<String> protocols) {
            this.applicationProtocols = protocols;
            return this;
        }

        /** Connects from this local address. */
        public Builder sourceAddress(InetAddress address) {
            this.sourceAddress = address;
            return this;
        }

        /** Connects from this local port. */
        public Builder sourcePort(int port) {
            this.sourcePort = port;
            return this;
        }

        /** Buffer limits of the connected stream. */
        public Builder streamOptions(IOStreamOptions options) {
            this.streamOptions = options;
            return this;
        }

        /** Builds the options. */
        public ConnectOptions build() {
            return new ConnectOptions(timeout, family, tls, serverHostname, applicationProtocols, sourceAddress,
                    sourcePort, streamOptions);
        }
    }
}
