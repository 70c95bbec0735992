package io.squall.tls;

import static io.squall.gen.Coroutines.await;
import static io.squall.testing.PemFiles.file;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.iostream.SslIOStream;
import io.squall.net.ConnectOptions;
import io.squall.net.TcpClient;
import io.squall.net.TcpServer;
import io.squall.testing.AsyncTestCase;
import io.squall.testing.PemFiles;
import io.squall.tls.TlsConfigException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link TlsConfig} reading OpenSSL-made PEM files, then real handshakes between a Squall TLS server and
 * client on 127.0.0.1 with the contexts it builds: key formats, trust, client authentication, and the
 * errors a bad file gives.
 */
class TlsConfigTest extends AsyncTestCase {
    @BeforeAll
    static void makeTheFilesBeforeAnyLoopRuns() {
        PemFiles.dir(); // openssl takes seconds: not inside a coroutine, where the watchdog would flag it
    }

    private static final char[] PASSWORD = PemFiles.PASSWORD.toCharArray();

    private final TcpClient client = closeLater(new TcpClient());

    /** What the server side of the last connection saw: its TLS stream once the handshake is done. */
    private Future<SslIOStream> serverSide;

    /** A TLS server echoing one line per connection; returns its port. */
    private int echoServer(SSLContext context) {
        serverSide = new Future<>();
        Future<SslIOStream> seen = serverSide;
        TcpServer server = closeLater(TcpServer.builder((stream, remote) -> {
            SslIOStream tls = (SslIOStream) stream;
            try {
                await(tls.waitForHandshake());
            } catch (RuntimeException e) {
                seen.trySetException(e);
                throw e;
            }
            seen.trySetResult(tls);
            await(stream.write(await(stream.readUntil(new byte[] {'\n'}))));
        }).tls(context).build());
        return server.listen(0, "127.0.0.1");
    }

    private String roundTrip(int port, SSLContext clientContext) {
        IOStream stream = closeLater(await(client.connect("localhost", port,
                ConnectOptions.builder().tls(clientContext).timeout(Duration.ofSeconds(5)).build())));
        await(stream.write("ping\n".getBytes(US_ASCII)));
        return new String(await(stream.readUntil(new byte[] {'\n'})), US_ASCII);
    }

    private static SSLContext trustingTheCa() throws TlsConfigException {
        return TlsConfig.client().trust(file("ca.crt")).build();
    }

    @ParameterizedTest(name = "{1} with {0}")
    @CsvSource({
            "server.crt, server.key, false",                // RSA, PKCS#8
            "server.crt, server-encrypted.key, true",       // RSA, encrypted PKCS#8 (PBES2)
            "server.crt, server-traditional.key, false",    // RSA, PKCS#1
            "ec-server.crt, ec-server.key, false",          // EC, PKCS#8
            "ec-server.crt, ec-server-traditional.key, false"}) // EC, SEC 1
    void eachKeyFormatServesAHandshakeThatAClientTrustingTheCaAccepts(String chain, String key, boolean encrypted) {
        run(() -> {
            SSLContext server = TlsConfig.server().certificateChain(file(chain))
                    .privateKey(file(key), encrypted ? PASSWORD : null).build();
            int port = echoServer(server);
            assertEquals("ping\n", roundTrip(port, trustingTheCa()));
            SslIOStream tls = await(serverSide);
            assertEquals(2, tls.session().getLocalCertificates().length, "the leaf and the CA are sent");
            assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(tls.session().getProtocol()));
        });
    }

    @Test
    void theTraditionalKeyFilesReallyAreTraditional() throws Exception {
        assertTrue(Files.readString(file("server-traditional.key")).contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(Files.readString(file("ec-server-traditional.key")).contains("BEGIN EC PRIVATE KEY"));
    }

    @Test
    void aClientWithoutTheCaInItsTrustRefusesTheServer() {
        run(() -> {
            int port = echoServer(TlsConfig.server().certificateChain(file("server.crt")).privateKey(file("server.key")).build());
            SSLContext untrusting = TlsConfig.client().trust(file("other-ca.crt")).build();
            Throwable e = assertThrows(RuntimeException.class, () -> roundTrip(port, untrusting));
            assertInstanceOf(SSLHandshakeException.class, e.getCause(), e.toString());
        });
    }

    @Test
    void protocolsLimitTheVersionsOffered() {
        run(() -> {
            int port = echoServer(TlsConfig.server().certificateChain(file("server.crt")).privateKey(file("server.key")).build());
            assertEquals("ping\n", roundTrip(port, TlsConfig.client().trust(file("ca.crt")).protocols("TLSv1.2").build()));
            assertEquals("TLSv1.2", await(serverSide).session().getProtocol());
        });
    }

    // ------------------------------------------------------------------ client certificates

    private SSLContext serverAsking(ClientAuth mode, String trust) throws TlsConfigException {
        return TlsConfig.server().certificateChain(file("server.crt")).privateKey(file("server.key"))
                .clientAuth(mode).trust(file(trust)).build();
    }

    private static SSLContext clientPresentingItsCertificate() throws TlsConfigException {
        return TlsConfig.client().trust(file("ca.crt"))
                .certificateChain(file("client.crt")).privateKey(file("client.key")).build();
    }

    @Test
    void requiredClientAuthSeesTheVerifiedClientChain() {
        run(() -> {
            int port = echoServer(serverAsking(ClientAuth.REQUIRED, "ca.crt"));
            assertEquals("ping\n", roundTrip(port, clientPresentingItsCertificate()));
            X509Certificate leaf = (X509Certificate) await(serverSide).session().getPeerCertificates()[0];
            assertEquals("CN=squall-client", leaf.getSubjectX500Principal().getName());
        });
    }

    /** A server requiring certificates that chain to {@code serverTrust} refuses {@code client}'s handshake. */
    private void assertRefused(String serverTrust, SSLContext client) throws TlsConfigException {
        int port = echoServer(serverAsking(ClientAuth.REQUIRED, serverTrust));
        // With TLS 1.3 the client may finish its side before the server refuses: the failure shows on the read.
        assertThrows(RuntimeException.class, () -> roundTrip(port, client));
        Throwable refused = assertThrows(RuntimeException.class, () -> await(serverSide));
        assertInstanceOf(SSLException.class, refused.getCause(), refused.toString()); // the JDK's kind varies with timing
    }

    @Test
    void requiredClientAuthRefusesAClientWithoutCertificate() {
        run(() -> assertRefused("ca.crt", trustingTheCa()));
    }

    @Test
    void requiredClientAuthRefusesACertificateFromAnotherCa() {
        run(() -> assertRefused("other-ca.crt", clientPresentingItsCertificate()));
    }

    @Test
    void optionalClientAuthServesClientsWithAndWithoutCertificate() {
        run(() -> {
            int port = echoServer(serverAsking(ClientAuth.OPTIONAL, "ca.crt"));
            assertEquals("ping\n", roundTrip(port, trustingTheCa()));
            SslIOStream anonymous = await(serverSide);
            assertThrows(SSLPeerUnverifiedException.class, () -> anonymous.session().getPeerCertificates());

            port = echoServer(serverAsking(ClientAuth.OPTIONAL, "ca.crt"));
            assertEquals("ping\n", roundTrip(port, clientPresentingItsCertificate()));
            assertEquals(2, await(serverSide).session().getPeerCertificates().length);
        });
    }

    // ------------------------------------------------------------------ errors

    private static TlsConfigException buildFails(TlsConfig config) {
        return assertThrows(TlsConfigException.class, config::build);
    }

    @Test
    void aWrongPasswordIsReportedWithTheFile() {
        TlsConfigException e = buildFails(TlsConfig.server().certificateChain(file("server.crt"))
                .privateKey(file("server-encrypted.key"), "wrong".toCharArray()));
        assertEquals(Reason.WRONG_PASSWORD, e.reason());
        assertEquals(file("server-encrypted.key"), e.file());
        assertTrue(e.getMessage().contains("server-encrypted.key") && e.getMessage().contains("wrong password"), e.getMessage());
    }

    @Test
    void anEncryptedKeyWithoutPasswordAsksForOne() {
        TlsConfigException e = buildFails(TlsConfig.server().certificateChain(file("server.crt"))
                .privateKey(file("server-encrypted.key")));
        assertEquals(Reason.WRONG_PASSWORD, e.reason());
        assertTrue(e.getMessage().contains("no password"), e.getMessage());
    }

    @Test
    void aKeyOfAnotherCertificateIsAMismatch() {
        for (String[] pair : new String[][] {{"server.crt", "ec-server.key"}, {"ec-server.crt", "client.key"},
                {"server.crt", "ec-server-traditional.key"}}) {
            TlsConfigException e = buildFails(TlsConfig.server().certificateChain(file(pair[0])).privateKey(file(pair[1])));
            assertEquals(Reason.KEY_MISMATCH, e.reason(), e.getMessage());
            assertEquals(file(pair[1]), e.file());
            assertTrue(e.getMessage().contains(pair[0]) && e.getMessage().contains("does not belong"), e.getMessage());
        }
    }

    @Test
    void aMissingFileIsUnreadable(@TempDir Path temp) {
        Path missing = temp.resolve("missing.pem");
        TlsConfigException e = buildFails(TlsConfig.server().certificateChain(missing).privateKey(file("server.key")));
        assertEquals(Reason.UNREADABLE_FILE, e.reason());
        assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
        assertEquals(Reason.UNREADABLE_FILE, buildFails(TlsConfig.client().trust(temp)).reason(), "a directory");
    }

    @Test
    void aFileWithoutTheExpectedBlockSaysSo(@TempDir Path temp) throws Exception {
        Path text = Files.writeString(temp.resolve("notes.txt"), "not PEM at all\n");
        TlsConfigException noCertificate = buildFails(TlsConfig.client().trust(text));
        assertEquals(Reason.NO_PEM_BLOCK, noCertificate.reason());
        assertTrue(noCertificate.getMessage().contains("notes.txt") && noCertificate.getMessage().contains("CERTIFICATE"));

        TlsConfigException certificateAsKey = buildFails(TlsConfig.server().certificateChain(file("server.crt"))
                .privateKey(file("server.crt")));
        assertEquals(Reason.NO_PEM_BLOCK, certificateAsKey.reason());
        assertTrue(certificateAsKey.getMessage().contains("PRIVATE KEY"), certificateAsKey.getMessage());
    }

    @Test
    void aLegacyEncryptedTraditionalKeySaysHowToConvertIt() {
        TlsConfigException e = buildFails(TlsConfig.server().certificateChain(file("server.crt"))
                .privateKey(file("server-legacy-encrypted.key"), PASSWORD));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }

    @Test
    void corruptBase64AndTruncatedBlocksAreMalformed(@TempDir Path temp) throws Exception {
        Path badBase64 = Files.writeString(temp.resolve("bad.pem"), "-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n");
        assertEquals(Reason.MALFORMED, buildFails(TlsConfig.client().trust(badBase64)).reason());
        Path truncated = Files.writeString(temp.resolve("cut.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        assertEquals(Reason.MALFORMED, buildFails(TlsConfig.server().certificateChain(file("server.crt")).privateKey(truncated)).reason());
        Path garbageKey = Files.writeString(temp.resolve("garbage.pem"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertEquals(Reason.MALFORMED, buildFails(TlsConfig.server().certificateChain(file("server.crt")).privateKey(garbageKey)).reason());
    }

    @Test
    void anIncompleteConfigurationIsAProgrammingError() {
        assertThrows(IllegalStateException.class, () -> TlsConfig.server().build());
        assertThrows(IllegalStateException.class, () -> TlsConfig.client().certificateChain(file("client.crt")).build());
        assertThrows(IllegalStateException.class, () -> TlsConfig.client().clientAuth(ClientAuth.REQUIRED));
        assertThrows(IllegalStateException.class, () -> TlsConfig.server().certificateChain(file("server.crt"))
                .privateKey(file("server.key")).clientAuth(ClientAuth.OPTIONAL).build());
    }
}
