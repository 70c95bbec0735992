package io.squall.net;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.withTimeout;
import static io.squall.net.NetTestSupport.ipv6LoopbackAvailable;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.iostream.SslIOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.testing.TestCertificates;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link TcpClient} with TLS against a TLS {@link TcpServer}: trust, host names, ALPN, the handshake deadline. */
class TcpClientTlsTest extends TcpTestCase {
    private static final TestCertificates.Identity LOCALHOST = TestCertificates.localhost();
    private static final TestCertificates.Identity WRONG_HOST = TestCertificates.wrongHost();

    private final TcpClient client = closeLater(new TcpClient());

    /** A TLS line-echo server with {@code identity}, offering {@code protocols} for ALPN; returns the port. */
    private int tlsEchoServer(TestCertificates.Identity identity, List<String> protocols,
                              Future<SslIOStream> serverStream) throws Exception {
        TcpServer server = closeLater(TcpServer.builder((stream, remote) -> {
                    SslIOStream tls = (SslIOStream) stream;
                    await(tls.waitForHandshake());
                    serverStream.trySetResult(tls);
                    echoLines(stream, remote);
                })
                .tls(identity.serverContext())
                .applicationProtocols(protocols)
                .build());
        return listenOnBothLoopbacks(server);
    }

    private static ConnectOptions.Builder tls(SSLContext context) {
        return ConnectOptions.builder().tls(context).timeout(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "::1"})
    void aTrustedServerGivesATlsStreamThatEchoes(String host) {
        if (host.equals("::1")) {
            assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        }
        run(() -> {
            Future<SslIOStream> serverSide = new Future<>();
            int port = tlsEchoServer(LOCALHOST, List.of(), serverSide);
            IOStream stream = closeLater(await(client.connect(host, port, tls(LOCALHOST.clientContext()).build())));
            SslIOStream tls = assertInstanceOf(SslIOStream.class, stream);
            assertEquals("secret\n", roundTrip(tls, "secret"));
            assertEquals(LOCALHOST.certificate(), tls.session().getPeerCertificates()[0]);
            assertNull(tls.applicationProtocol(), "no ALPN was asked for");
            assertTrue(await(serverSide).session().isValid());
        });
    }

    @Test
    void anUntrustedCertificateFailsTheHandshake() {
        run(() -> {
            int port = tlsEchoServer(LOCALHOST, List.of(), new Future<>());
            // This context trusts only the wrong.example certificate.
            StreamClosedError e = assertThrows(StreamClosedError.class,
                    () -> await(client.connect("localhost", port, tls(WRONG_HOST.clientContext()).build())));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
        });
    }

    @Test
    void aCertificateForAnotherNameFailsTheHandshake() {
        run(() -> {
            int port = tlsEchoServer(WRONG_HOST, List.of(), new Future<>());
            // Trusted, but issued to wrong.example, not to 127.0.0.1.
            StreamClosedError e = assertThrows(StreamClosedError.class,
                    () -> await(client.connect("127.0.0.1", port, tls(WRONG_HOST.clientContext()).build())));
            SSLHandshakeException handshake = assertInstanceOf(SSLHandshakeException.class, e.getCause());
            assertNotNull(causeOfType(handshake, CertificateException.class), handshake::toString);
        });
    }

    @Test
    void theServerHostnameOptionIsWhatTheCertificateIsCheckedAgainst() {
        run(() -> {
            int port = tlsEchoServer(LOCALHOST, List.of(), new Future<>());
            // The localhost certificate is trusted, but the client expects wrong.example.
            ConnectOptions wrongName = tls(LOCALHOST.clientContext()).serverHostname("wrong.example").build();
            StreamClosedError e = assertThrows(StreamClosedError.class,
                    () -> await(client.connect("127.0.0.1", port, wrongName)));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());

            // And the other way round: the name matches the certificate although the address does not.
            int wrongPort = tlsEchoServer(WRONG_HOST, List.of(), new Future<>());
            ConnectOptions rightName = tls(WRONG_HOST.clientContext()).serverHostname("wrong.example").build();
            IOStream stream = closeLater(await(client.connect("127.0.0.1", wrongPort, rightName)));
            assertEquals("named\n", roundTrip(stream, "named"));
        });
    }

    @Test
    void alpnAgreesOnAProtocolBothSidesSee() {
        run(() -> {
            Future<SslIOStream> serverSide = new Future<>();
            int port = tlsEchoServer(LOCALHOST, List.of("h2", "http/1.1"), serverSide);
            ConnectOptions options = tls(LOCALHOST.clientContext()).applicationProtocols(List.of("x-unknown", "http/1.1"))
                    .build();
            SslIOStream stream = (SslIOStream) closeLater(await(client.connect("localhost", port, options)));
            assertEquals("http/1.1", stream.applicationProtocol());
            assertEquals("http/1.1", await(serverSide).applicationProtocol());
            assertEquals("alpn\n", roundTrip(stream, "alpn"));
        });
    }

    @Test
    void theTimeoutCoversTheHandshakeAndClosesTheSocket() {
        run(() -> {
            // A plain server: it takes the ClientHello and never answers it.
            Future<byte[]> untilClose = new Future<>();
            TcpServer silent = closeLater(new TcpServer((stream, remote) -> untilClose.setResult(await(stream.readUntilClose()))));
            int port = listenOnBothLoopbacks(silent);
            ConnectOptions options = ConnectOptions.builder().tls(LOCALHOST.clientContext()).timeout(ms(200)).build();
            ConnectTimeoutException e = assertThrows(ConnectTimeoutException.class,
                    () -> await(client.connect("localhost", port, options)));
            assertEquals(ConnectTimeoutException.Phase.TLS_HANDSHAKE, e.phase());
            // The client gave up on the connection: the server reads the ClientHello, then the end of stream.
            byte[] received = await(withTimeout(Duration.ofSeconds(5), untilClose));
            assertTrue(received.length > 0);
            assertEquals(0x16, received[0], "a TLS handshake record");
        });
    }
}
