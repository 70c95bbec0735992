package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static io.squall.testing.PemFiles.file;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.httpserver.HttpServerOptions;
import io.squall.testing.PemFiles;
import io.squall.tls.ClientAuth;
import io.squall.tls.TlsConfig;
import io.squall.tls.TlsConfigException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client certificates on an HTTPS application: {@link RequestHandler#getSslCertificate()} and
 * {@code request().peerCertificates()} under each {@link ClientAuth} mode, with the JDK's HttpClient
 * presenting a certificate or not.
 */
class ClientCertificateTest extends WebTestCase {
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeAll
    static void makeTheFilesBeforeAnyLoopRuns() {
        PemFiles.dir(); // openssl takes seconds: not inside a coroutine, where the watchdog would flag it
    }

    /** Answers with the client certificate's subject and the chain's length, or "anonymous". */
    class WhoAmI extends RequestHandler {
        @Override
        protected void get() {
            handled.incrementAndGet();
            X509Certificate certificate = getSslCertificate();
            write(certificate == null ? "anonymous"
                    : certificate.getSubjectX500Principal().getName() + " " + request().peerCertificates().size());
        }
    }

    private void serveHttps(ClientAuth mode) throws TlsConfigException {
        SSLContext context = TlsConfig.server().certificateChain(file("server.crt")).privateKey(file("server.key"))
                .clientAuth(mode).trust(file("ca.crt")).build();
        app = Application.builder().route("/", WhoAmI::new)
                .serverOptions(HttpServerOptions.builder().tls(context).build()).build();
        port = app.listen(0, "127.0.0.1");
    }

    /** GETs / over HTTPS with a client trusting the test CA, presenting the client certificate or not. */
    private String fetchHttps(boolean presentCertificate) throws TlsConfigException {
        TlsConfig config = TlsConfig.client().trust(file("ca.crt"));
        if (presentCertificate) {
            config = config.certificateChain(file("client.crt")).privateKey(file("client.key"));
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(config.build())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = await(loop.runInExecutor(null,
                    () -> client.send(request, HttpResponse.BodyHandlers.ofString())));
            assertEquals(200, response.statusCode());
            return response.body();
        } finally {
            client.shutdownNow(); // close() would wait for the client's own threads to wind down
        }
    }

    @Test
    void requiredClientAuthGivesTheHandlerTheVerifiedCertificate() {
        run(() -> {
            serveHttps(ClientAuth.REQUIRED);
            assertEquals("CN=squall-client 2", fetchHttps(true));
        });
    }

    @Test
    void requiredClientAuthRefusesAClientWithoutCertificateBeforeAnyRequest() {
        run(() -> {
            serveHttps(ClientAuth.REQUIRED);
            CompletionException e = assertThrows(CompletionException.class, () -> fetchHttps(false));
            SSLHandshakeException refused = assertInstanceOf(SSLHandshakeException.class, e.getCause(), e.toString());
            assertTrue(refused.getMessage().contains("certificate_required"), refused.getMessage());
            assertEquals(0, handled.get());
        });
    }

    @Test
    void optionalClientAuthServesBothKindsOfClient() {
        run(() -> {
            serveHttps(ClientAuth.OPTIONAL);
            assertEquals("CN=squall-client 2", fetchHttps(true));
            assertEquals("anonymous", fetchHttps(false));
        });
    }

    @Test
    void withoutClientAuthOrTlsThereIsNoCertificate() {
        run(() -> {
            serveHttps(ClientAuth.NONE);
            assertEquals("anonymous", fetchHttps(true));
        });
        run(() -> {
            app.close();
            serve(WhoAmI::new);
            assertEquals("anonymous", fetch("/").body());
        });
    }
}
