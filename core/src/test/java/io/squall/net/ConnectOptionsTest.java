package io.squall.net;

import static org.junit.jupiter.api.Assertions.*;

import io.squall.iostream.IOStreamOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** {@link ConnectOptions}: Tornado's defaults, the builder, and validation. */
class ConnectOptionsTest {
    @Test
    void theDefaultsAreTornados() {
        ConnectOptions d = ConnectOptions.DEFAULTS;
        assertNull(d.timeout(), "no timeout");
        assertEquals(AddressFamily.UNSPEC, d.family());
        assertNull(d.tls(), "plain TCP");
        assertNull(d.serverHostname());
        assertEquals(List.of(), d.applicationProtocols());
        assertNull(d.sourceAddress());
        assertEquals(0, d.sourcePort());
        assertEquals(IOStreamOptions.DEFAULTS, d.streamOptions());
        assertEquals(d, ConnectOptions.builder().build());
    }

    @Test
    void theBuilderSetsEveryField() throws Exception {
        SSLContext tls = SSLContext.getDefault();
        IOStreamOptions stream = IOStreamOptions.DEFAULTS.withMaxBufferSize(1 << 20);
        ConnectOptions o = ConnectOptions.builder()
                .timeout(Duration.ofSeconds(3))
                .family(AddressFamily.INET6)
                .tls(tls)
                .serverHostname("example.org")
                .applicationProtocols(List.of("h2", "http/1.1"))
                .sourceAddress(InetAddress.ofLiteral("::1"))
                .sourcePort(4321)
                .streamOptions(stream)
                .build();
        assertEquals(new ConnectOptions(Duration.ofSeconds(3), AddressFamily.INET6, tls, "example.org",
                List.of("h2", "http/1.1"), InetAddress.ofLiteral("::1"), 4321, stream), o);
    }

    @Test
    void theProtocolListIsCopied() {
        List<String> protocols = new ArrayList<>(List.of("h2"));
        ConnectOptions o = ConnectOptions.builder().applicationProtocols(protocols).build();
        protocols.add("http/1.1");
        assertEquals(List.of("h2"), o.applicationProtocols());
        assertThrows(UnsupportedOperationException.class, () -> o.applicationProtocols().add("x"));
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder().timeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder().timeout(Duration.ofMillis(-1)).build());
        assertEquals(Duration.ofNanos(1), ConnectOptions.builder().timeout(Duration.ofNanos(1)).build().timeout());
    }

    @Test
    void theSourcePortMustBeAPort() {
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder().sourcePort(-1).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder().sourcePort(65536).build());
        assertEquals(65535, ConnectOptions.builder().sourcePort(65535).build().sourcePort());
    }

    @Test
    void requiredFieldsAreChecked() {
        assertThrows(NullPointerException.class, () -> ConnectOptions.builder().family(null).build());
        assertThrows(NullPointerException.class, () -> ConnectOptions.builder().streamOptions(null).build());
        assertThrows(NullPointerException.class, () -> ConnectOptions.builder().applicationProtocols(null).build());
    }
}
