package io.squall.iostream;

import static io.squall.testing.TestBytes.*;
import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import io.squall.testing.LogCapture;
import io.squall.testing.TestCertificates;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** TLS specifics: STARTTLS, verification failures, SNI, ALPN, plain text against TLS, close_notify. */
class TlsTest extends StreamTestSupport {
    private static final TestCertificates.Identity LOCALHOST = TestCertificates.localhost();
    // Contexts are built here, outside the test loops: their first initialization is slow.
    private static final SSLContext SERVER = LOCALHOST.serverContext();
    private static final SSLContext CLIENT = LOCALHOST.clientContext();
    private static final SSLContext WRONG_HOST_SERVER = TestCertificates.wrongHost().serverContext();
    private static final SSLContext WRONG_HOST_CLIENT = TestCertificates.wrongHost().clientContext();

    private record Tls(SslIOStream client, SslIOStream server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    /** A TLS client (with {@code clientEngine}) and server over a new connection; the handshake is not awaited. */
    private Tls open(SSLEngine clientEngine, SSLContext serverContext, List<String> serverProtocols) throws Exception {
        try (TestAcceptor acceptor = TestAcceptor.tcp(loop)) {
            Future<SocketChannel> accepted = acceptor.accept();
            SslIOStream client = SslIOStream.wrap(SocketChannel.open(), loop, DEFAULTS, clientEngine);
            client.connect(acceptor.address());
            SslIOStream server = SslIOStream.server(await(accepted), loop, DEFAULTS, serverContext, serverProtocols);
            return new Tls(client, server);
        }
    }

    private Tls open(SSLContext clientTrust, String hostname, SSLContext serverContext) throws Exception {
        return open(SslIOStream.clientEngine(clientTrust, hostname, List.of()), serverContext, List.of());
    }

    private Pair plainPair() throws Exception {
        try (TestAcceptor acceptor = TestAcceptor.tcp(loop)) {
            Future<SocketChannel> accepted = acceptor.accept();
            IOStream client = new IOStream(SocketChannel.open(), loop, DEFAULTS);
            await(client.connect(acceptor.address()));
            return new Pair(client, new IOStream(await(accepted), loop, DEFAULTS));
        }
    }

    // ------------------------------------------------------------------ STARTTLS

    @Test
    void startTlsAfterAPlaintextExchange() {
        run(() -> {
            try (Pair plain = plainPair()) {
                IOStream client = plain.client();
                IOStream server = plain.server();
                Future<Void> clientClosed = closed(client);
                await(server.write(bytes("220 mail.example ESMTP\r\n")));
                assertEquals("220 mail.example ESMTP\r\n", str(await(client.readUntil(bytes("\r\n")))));
                await(client.write(bytes("EHLO me\r\n")));
                assertEquals("EHLO me\r\n", str(await(server.readUntil(bytes("\r\n")))));
                await(server.write(bytes("250 STARTTLS\r\n")));
                assertEquals("250 STARTTLS\r\n", str(await(client.readUntil(bytes("\r\n")))));
                await(client.write(bytes("STARTTLS\r\n")));
                assertEquals("STARTTLS\r\n", str(await(server.readUntil(bytes("\r\n")))));
                await(server.write(bytes("220 Go ahead\r\n")));
                Future<SslIOStream> serverTls = server.startTls(true, SERVER, null);
                assertEquals("220 Go ahead\r\n", str(await(client.readUntil(bytes("\r\n")))));
                Future<SslIOStream> clientTls = client.startTls(false, CLIENT, "localhost");
                try (Tls tls = new Tls(await(clientTls), await(serverTls))) {
                    assertTrue(client.isClosed() && server.isClosed(), "the plain streams are detached");
                    assertFalse(clientClosed.isDone(), "detaching does not run the close callback");
                    await(tls.client().write(bytes("EHLO again\r\n")));
                    assertEquals("EHLO again\r\n", str(await(tls.server().readUntil(bytes("\r\n")))));
                    await(tls.server().write(bytes("250 OK\r\n")));
                    assertEquals("250 OK\r\n", str(await(tls.client().readUntil(bytes("\r\n")))));
                    assertTrue(tls.client().session().getProtocol().startsWith("TLS"));
                    tls.server().close();
                    await(clientClosed); // the callback moved to the TLS stream
                }
            }
        });
    }

    @Test
    void startTlsHandsBytesAlreadyReceivedToTheHandshake() {
        run(() -> {
            try (Pair plain = plainPair()) {
                await(plain.client().write(bytes("STARTTLS\r\n")));
                // The client does not wait for an answer: its ClientHello follows at once.
                Future<SslIOStream> clientTls = plain.client().startTls(false, CLIENT, "localhost");
                assertEquals("STARTTLS\r\n", str(await(plain.server().readUntil(bytes("\r\n")))));
                while (plain.server().bufferedBytes() == 0) {
                    await(moment()); // the idle server reads the ClientHello ahead
                }
                Future<SslIOStream> serverTls = plain.server().startTls(true, SERVER, null);
                try (Tls tls = new Tls(await(clientTls), await(serverTls))) {
                    await(tls.server().write(bytes("secret")));
                    assertEquals("secret", str(await(tls.client().readBytes(6))));
                }
            }
        });
    }

    @Test
    void startTlsNeedsAnIdleStream() {
        run(() -> {
            try (Pair plain = plainPair()) {
                plain.client().readBytes(1);
                assertThrows(IllegalStateException.class,
                        () -> plain.client().startTls(false, CLIENT, "localhost"));
            }
            try (Tls tls = open(CLIENT, "localhost", SERVER)) {
                await(tls.client().waitForHandshake());
                assertThrows(IllegalStateException.class,
                        () -> tls.client().startTls(false, CLIENT, "localhost"));
            }
        });
    }

    // ------------------------------------------------------------------ verification

    @Test
    void untrustedCertificateFailsTheHandshakeAndPendingReads() {
        run(() -> {
            try (LogCapture logs = LogCapture.start();
                 Tls tls = open(WRONG_HOST_CLIENT, "localhost", SERVER)) {
                Future<byte[]> read = tls.client().readBytes(1);
                StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(tls.client().waitForHandshake()));
                assertInstanceOf(SSLHandshakeException.class, e.getCause());
                assertInstanceOf(SSLHandshakeException.class, read.exception().getCause());
                StreamClosedError onServer = assertThrows(StreamClosedError.class, () -> await(tls.server().waitForHandshake()));
                assertInstanceOf(SSLException.class, onServer.getCause());
                assertEquals(List.of(), logs.atLeast(Level.WARN));
            }
        });
    }

    @Test
    void wrongHostNameFailsTheHandshake() {
        run(() -> {
            try (Tls tls = open(WRONG_HOST_CLIENT, "localhost", WRONG_HOST_SERVER)) {
                StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(tls.client().waitForHandshake()));
                assertInstanceOf(SSLHandshakeException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("localhost"), e.getCause().getMessage());
            }
        });
    }

    @Test
    void hostNameCheckCanBeTurnedOffWithAnEngine() {
        run(() -> {
            SSLEngine engine = SslIOStream.clientEngine(WRONG_HOST_CLIENT, "localhost", List.of());
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(""); // null would mean "unchanged"
            engine.setSSLParameters(parameters);
            try (Tls tls = open(engine, WRONG_HOST_SERVER, List.of())) {
                await(tls.client().waitForHandshake());
                await(tls.client().write(bytes("ok")));
                assertEquals("ok", str(await(tls.server().readBytes(2))));
            }
        });
    }

    @Test
    void hostNameIsSentAsSniAndAnIpAddressIsNot() {
        run(() -> {
            try (Tls tls = open(CLIENT, "localhost", SERVER)) {
                await(tls.server().waitForHandshake());
                List<SNIServerName> names = ((ExtendedSSLSession) tls.server().session()).getRequestedServerNames();
                assertEquals(List.of(new SNIHostName("localhost")), names);
            }
            try (Tls tls = open(CLIENT, "127.0.0.1", SERVER)) {
                await(tls.client().waitForHandshake()); // verified against the certificate's IP address
                await(tls.server().waitForHandshake());
                assertEquals(List.of(), ((ExtendedSSLSession) tls.server().session()).getRequestedServerNames());
                assertArrayEquals(LOCALHOST.certificate().getEncoded(),
                        tls.client().session().getPeerCertificates()[0].getEncoded());
            }
        });
    }

    @Test
    void alpnAgreesOnAProtocol() {
        run(() -> {
            SSLEngine engine = SslIOStream.clientEngine(CLIENT, "localhost", List.of("h2", "http/1.1"));
            try (Tls tls = open(engine, SERVER, List.of("http/1.1"))) {
                await(tls.client().waitForHandshake());
                await(tls.server().waitForHandshake());
                assertEquals("http/1.1", tls.client().applicationProtocol());
                assertEquals("http/1.1", tls.server().applicationProtocol());
            }
            try (Tls tls = open(CLIENT, "localhost", SERVER)) {
                await(tls.client().waitForHandshake());
                assertNull(tls.client().applicationProtocol());
            }
        });
    }

    // ------------------------------------------------------------------ handshake and close

    @Test
    void waitForHandshakeIsOneFutureAndWritesWaitForTheHandshake() {
        run(() -> {
            try (Tls tls = open(CLIENT, "localhost", SERVER)) {
                List<String> order = new ArrayList<>();
                Future<Void> written = tls.client().write(bytes("early"));
                tls.client().waitForHandshake().addDoneCallback(f -> order.add("handshake"));
                written.addDoneCallback(f -> order.add("write"));
                await(written);
                assertEquals(List.of("handshake", "write"), order);
                assertSame(tls.client().waitForHandshake(), tls.client().waitForHandshake());
                assertTrue(tls.client().waitForHandshake().isDone());
                assertEquals("early", str(await(tls.server().readBytes(5))));
            }
        });
    }

    @Test
    void plainTextClientIsClosedPromptlyWithoutNoise() {
        run(() -> {
            try (LogCapture logs = LogCapture.start(); TestAcceptor acceptor = TestAcceptor.tcp(loop)) {
                Future<SocketChannel> accepted = acceptor.accept();
                IOStream client = new IOStream(SocketChannel.open(), loop, DEFAULTS);
                await(client.connect(acceptor.address()));
                SslIOStream server = SslIOStream.server(await(accepted), loop, DEFAULTS, SERVER);
                Future<Void> clientClosed = closed(client);
                await(client.write(bytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")));
                await(clientClosed); // the server hung up
                StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(server.waitForHandshake()));
                assertInstanceOf(SSLException.class, e.getCause());
                assertTrue(server.isClosed());
                assertEquals(List.of(), logs.atLeast(Level.WARN));
                assertEquals(List.of(), logs.withStackTraces());
                client.close();
            }
        });
    }

    @Test
    void closeSendsCloseNotify() {
        run(() -> {
            try (Tls tls = open(CLIENT, "localhost", SERVER)) {
                await(tls.client().waitForHandshake());
                await(tls.client().write(bytes("bye")));
                tls.client().close();
                assertEquals("bye", str(await(tls.server().readUntilClose())));
                assertTrue(tls.server().closeNotifyReceived());
                assertNull(tls.server().error());
            }
        });
    }
}
