package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.squall.testing.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** HTTPS against a Squall server with a self-signed certificate: trust, host names, timing and pooled reuse. */
class TlsTest extends ConnectionTestCase {
    @Test
    void withoutValidationAnyCertificateIsAccepted() {
        run(() -> {
            int port = serveTls();
            HttpResponse response = await(client().fetch(
                    HttpRequest.builder(httpsUrl(port, "/")).validateCertificates(false).build()));
            assertEquals("ok", response.text());
            assertEquals("https", response.effectiveUri().getScheme());
        });
    }

    @Test
    void defaultValidationRejectsASelfSignedCertificate() {
        run(() -> {
            int port = serveTls();
            TlsFailureException e = assertFails(TlsFailureException.class, FetchPhase.TLS_HANDSHAKE,
                    client().fetch(httpsUrl(port, "/")));
            assertInstanceOf(SSLException.class, e.getCause());
            assertTrue(e.getMessage().contains("localhost:" + port), e.getMessage());
            assertTrue(clientPorts.isEmpty(), "no request reached the server");
        });
    }

    @Test
    void aClientCertificateInTheSslContextIsPresentedToAServerThatRequiresOne() {
        run(() -> {
            TestCertificates.Identity server = TestCertificates.localhost();
            TestCertificates.Identity client = TestCertificates.wrongHost(); // any other self-signed identity
            int port = serveJdkHttpsRequiringClientCertificates(server.mutualContext(client));
            HttpResponse response = await(client().fetch(HttpRequest.builder(httpsUrl(port, "/whoami"))
                    .sslContext(client.mutualContext(server)).build()));
            assertEquals(200, response.code());
            assertEquals(client.certificate().getSubjectX500Principal().getName(), response.text());

            // TLS 1.3: the client's side of the handshake is over when the server refuses; the failure still
            // names the handshake, not the request being sent or the response awaited.
            TlsFailureException refused = assertFails(TlsFailureException.class, FetchPhase.TLS_HANDSHAKE,
                    client().fetch(HttpRequest.builder(httpsUrl(port, "/whoami")).sslContext(server.clientContext()).build()));
            assertTrue(refused.getMessage().contains("certificate_required"), refused.getMessage());
        });
    }

    /**
     * The JDK's own HTTPS server with {@code context}, requiring a client certificate; {@code /whoami}
     * answers the subject of the one the client presented.
     */
    private int serveJdkHttpsRequiringClientCertificates(SSLContext context) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = context.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(true);
                    params.setSSLParameters(parameters);
                }
            });
            server.createContext("/whoami", exchange -> {
                HttpsExchange https = (HttpsExchange) exchange;
                X509Certificate peer = (X509Certificate) https.getSSLSession().getPeerCertificates()[0];
                byte[] subject = peer.getSubjectX500Principal().getName().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, subject.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(subject);
                }
            });
            server.start();
            closeLater(() -> server.stop(0));
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void customContextTrustingTheCertificateIsAccepted() {
        run(() -> {
            int port = serveTls();
            HttpResponse response = await(client().fetch(
                    HttpRequest.builder(httpsUrl(port, "/")).sslContext(trustTestCertificate()).build()));
            assertEquals("ok", response.text());
        });
    }

    @Test
    void customContextStillChecksTheHostName() {
        run(() -> {
            int port = serveTls();
            AsyncHttpClient client = client(HttpClientOptions.builder()
                    .hostnameMapping(Map.of("other.example", "127.0.0.1")).build());
            assertFails(TlsFailureException.class, FetchPhase.TLS_HANDSHAKE, client.fetch(
                    HttpRequest.builder("https://other.example:" + port + "/").sslContext(trustTestCertificate()).build()));
            // without validation the name does not matter
            assertEquals("ok", await(client.fetch(HttpRequest.builder("https://other.example:" + port + "/")
                    .validateCertificates(false).build())).text());
        });
    }

    @Test
    void customContextDecidesTrustEvenWithoutValidation() {
        // Pinned (as Tornado's ssl_options): a custom context's trust applies whatever validateCertificates says.
        run(() -> {
            int port = serveTls();
            assertFails(TlsFailureException.class, FetchPhase.TLS_HANDSHAKE, client().fetch(
                    HttpRequest.builder(httpsUrl(port, "/")).validateCertificates(false)
                            .sslContext(TestCertificates.wrongHost().clientContext()).build()));
        });
    }

    @Test
    void connectionIsPooledOverTlsWithoutASecondHandshake() {
        run(() -> {
            int port = serveTls();
            AsyncHttpClient client = client();
            HttpRequest request = HttpRequest.builder(httpsUrl(port, "/")).sslContext(trustTestCertificate()).build();
            HttpResponse first = await(client.fetch(request));
            HttpResponse second = await(client.fetch(request));
            assertFalse(first.timing().reusedConnection());
            assertTrue(first.timing().tlsHandshake().toNanos() > 0, first.timing()::toString);
            assertTrue(first.timing().connect().toNanos() > 0, first.timing()::toString);
            assertTrue(second.timing().reusedConnection());
            assertTrue(second.timing().tlsHandshake().isZero(), second.timing()::toString);
            assertTrue(second.timing().connect().isZero(), second.timing()::toString);
            assertEquals(1, webConnections());
        });
    }

    @Test
    void plainHttpHasNoHandshakeTime() {
        run(() -> {
            int port = serveWeb();
            assertTrue(await(client().fetch(url(port, "/"))).timing().tlsHandshake().isZero());
        });
    }

    @Test
    void differentTlsSettingsDoNotShareAConnection() {
        run(() -> {
            int port = serveTls();
            AsyncHttpClient client = client();
            await(client.fetch(HttpRequest.builder(httpsUrl(port, "/")).sslContext(trustTestCertificate()).build()));
            HttpResponse other = await(client.fetch(
                    HttpRequest.builder(httpsUrl(port, "/")).validateCertificates(false).build()));
            assertFalse(other.timing().reusedConnection());
            assertEquals(2, webConnections());
        });
    }
}
