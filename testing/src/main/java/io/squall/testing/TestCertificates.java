package io.squall.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for TLS tests, made once per JVM by the running JDK's {@code keytool} (no
 * files in the repository, no extra dependency).
 *
 * <ul>
 *   <li>{@link #localhost()}: CN=localhost, SAN dns:localhost, ip:127.0.0.1, ip:::1.</li>
 *   <li>{@link #wrongHost()}: CN=wrong.example, SAN dns:wrong.example: for host name mismatches, and
 *       (trusted alone) as a trust store that does not trust {@link #localhost()}.</li>
 * </ul>
 *
 * <pre>{@code
 * SSLContext server = TestCertificates.localhost().serverContext();
 * SSLContext client = TestCertificates.localhost().clientContext(); // trusts exactly that certificate
 * }</pre>
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static Identity localhost;
    private static Identity wrongHost;

    private TestCertificates() {}

    /** The identity of "localhost" (also valid for 127.0.0.1 and ::1). */
    public static synchronized Identity localhost() {
        if (localhost == null) {
            generateBoth();
        }
        return localhost;
    }

    /** An identity for "wrong.example" only. */
    public static synchronized Identity wrongHost() {
        if (wrongHost == null) {
            generateBoth();
        }
        return wrongHost;
    }

    private static void generateBoth() {
        try {
            Path dir = Files.createTempDirectory("squall-certs");
            dir.toFile().deleteOnExit();
            // Two keytool JVMs in parallel: each takes about a second to start.
            Process a = keytool(dir.resolve("localhost.p12"), "localhost", "SAN=dns:localhost,ip:127.0.0.1,ip:::1");
            Process b = keytool(dir.resolve("wrong.p12"), "wrong.example", "SAN=dns:wrong.example");
            localhost = load(a, dir.resolve("localhost.p12"));
            wrongHost = load(b, dir.resolve("wrong.p12"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Process keytool(Path keystore, String cn, String san) throws IOException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        return new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "key", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + cn, "-ext", san, "-validity", "3650",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt"))
                .redirectErrorStream(true).start();
    }

    private static Identity load(Process keytool, Path keystore) throws IOException {
        try {
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
            keystore.toFile().deleteOnExit();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, PASSWORD);
            }
            return new Identity(ks, (X509Certificate) ks.getCertificate("key"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load " + keystore, e);
        }
    }

    /** A private key with its self-signed certificate. */
    public record Identity(KeyStore keyStore, X509Certificate certificate) {
        /** A TLS context presenting this identity (and trusting nothing in particular). */
        public SSLContext serverContext() {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore, PASSWORD);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A TLS context that trusts exactly this certificate. */
        public SSLContext clientContext() {
            return context(null, this);
        }

        /** A TLS context presenting this identity and trusting exactly {@code peer}'s certificate (mutual TLS). */
        public SSLContext mutualContext(Identity peer) {
            return context(this, peer);
        }

        private static SSLContext context(Identity presented, Identity trusted) {
            try {
                KeyManagerFactory kmf = null;
                if (presented != null) {
                    kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(presented.keyStore, PASSWORD);
                }
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("trusted", trusted.certificate);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
