package io.squall.examples;

import io.squall.tls.TlsConfig;
import io.squall.tls.TlsConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for localhost (and 127.0.0.1, ::1) made at start-up by the running JDK's
 * own {@code keytool} (the JDK has no API to make certificates), served through {@link TlsConfig} like
 * any PEM certificate. The key pair is EC P-256; its files live in a temporary directory removed once
 * they are loaded.
 *
 * @param context a server TLS context presenting the certificate
 * @param certificate the certificate
 */
record SelfSignedCertificate(SSLContext context, X509Certificate certificate) {
    private static final char[] PASSWORD = "squall-demo".toCharArray();

    /** Makes a new key pair and certificate valid for 30 days. */
    static SelfSignedCertificate forLocalhost() throws IOException, GeneralSecurityException, TlsConfigException {
        Path dir = Files.createTempDirectory("squall-demo-tls");
        Path store = dir.resolve("demo.p12");
        Path certificatePem = dir.resolve("demo.crt");
        Path keyPem = dir.resolve("demo.key");
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "demo", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                    "-validity", "30", "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt"))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool could not make the demo's certificate: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, PASSWORD);
            }
            X509Certificate certificate = (X509Certificate) keyStore.getCertificate("demo");
            Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(keyPem, pem("PRIVATE KEY", keyStore.getKey("demo", PASSWORD).getEncoded())); // PKCS#8
            SSLContext context = TlsConfig.server().certificateChain(certificatePem).privateKey(keyPem).build();
            return new SelfSignedCertificate(context, certificate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        } finally {
            for (Path file : List.of(store, certificatePem, keyPem, dir)) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /** The SHA-256 fingerprint of the certificate, as colon-separated upper-case hex (openssl's format). */
    String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
