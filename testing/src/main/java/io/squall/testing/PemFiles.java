package io.squall.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PEM keys and certificates made by the {@code openssl} command, once per JVM, in a temporary
 * directory: a CA, a server certificate for localhost signed by it, a client certificate signed by it,
 * and the same keys in the formats a TLS configuration must read (or refuse). The first call skips the
 * test (through {@link ExternalTools}) where openssl cannot be had.
 *
 * <ul>
 *   <li>{@code ca.crt} / {@code ca.key}: an EC (P-256) CA, CN=Squall Test CA.</li>
 *   <li>{@code server.crt}: leaf (CN=localhost, SAN localhost, 127.0.0.1) then the CA; {@code server.key}:
 *       its RSA 2048 key as PKCS#8; {@code server-encrypted.key}: the same encrypted with
 *       {@link #PASSWORD} (PBES2, AES-256-CBC); {@code server-traditional.key}: as PKCS#1
 *       ({@code RSA PRIVATE KEY}); {@code server-legacy-encrypted.key}: PKCS#1 with OpenSSL's legacy encryption.</li>
 *   <li>{@code ec-server.crt} / {@code ec-server.key}: the same with an EC key; {@code ec-server-traditional.key}:
 *       as SEC 1 ({@code EC PRIVATE KEY}).</li>
 *   <li>{@code client.crt} / {@code client.key}: an EC client certificate (CN=squall-client) signed by the CA.</li>
 *   <li>{@code other-ca.crt}: another CA, which signed nothing here.</li>
 * </ul>
 */
public final class PemFiles {
    /** The password of {@code server-encrypted.key} and {@code server-legacy-encrypted.key}. */
    public static final String PASSWORD = "correct horse";
    private static final String CONFIG = """
            [req]
            distinguished_name = dn
            prompt = no
            [dn]
            CN = unused
            [ca]
            basicConstraints = critical,CA:TRUE
            keyUsage = critical,keyCertSign,cRLSign
            [server]
            basicConstraints = critical,CA:FALSE
            subjectAltName = DNS:localhost,IP:127.0.0.1
            extendedKeyUsage = serverAuth
            [client]
            basicConstraints = critical,CA:FALSE
            extendedKeyUsage = clientAuth
            """;
    private static Path dir;

    private PemFiles() {}

    /** The directory holding the files (made on first use). */
    public static synchronized Path dir() {
        if (dir == null) {
            String openssl = ExternalTools.requireCommand("openssl", "openssl");
            try {
                Path d = Files.createTempDirectory("squall-pem");
                generate(openssl, d);
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** The file {@code name} of the list above. */
    public static Path file(String name) {
        return dir().resolve(name);
    }

    private static void generate(String openssl, Path d) throws IOException {
        Files.writeString(d.resolve("openssl.cnf"), CONFIG);
        for (String ca : List.of("ca", "other-ca")) {
            run(d, openssl, "req", "-config", "openssl.cnf", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt", "-days", "30",
                    "-subj", "/CN=Squall Test " + ca, "-extensions", "ca");
        }
        issue(openssl, d, "server", "rsa:2048", "/CN=localhost", "server");
        issue(openssl, d, "ec-server", "ec", "/CN=localhost", "server");
        issue(openssl, d, "client", "ec", "/CN=squall-client", "client");
        run(d, openssl, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "server.key", "-out", "server-encrypted.key",
                "-passout", "pass:" + PASSWORD);
        run(d, openssl, "rsa", "-in", "server.key", "-traditional", "-out", "server-traditional.key");
        run(d, openssl, "rsa", "-in", "server.key", "-traditional", "-aes256", "-out", "server-legacy-encrypted.key",
                "-passout", "pass:" + PASSWORD);
        run(d, openssl, "ec", "-in", "ec-server.key", "-out", "ec-server-traditional.key");
    }

    /** A key ({@code <name>.key}, PKCS#8) and a certificate signed by the CA followed by the CA ({@code <name>.crt}). */
    private static void issue(String openssl, Path d, String name, String keyType, String subject, String extensions)
            throws IOException {
        List<String> newKey = keyType.equals("ec") ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")
                : List.of("-newkey", keyType);
        List<String> command = new ArrayList<>(List.of(openssl, "req", "-config", "openssl.cnf", "-x509"));
        command.addAll(newKey);
        command.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + "-leaf.crt", "-days", "30",
                "-subj", subject, "-extensions", extensions, "-CA", "ca.crt", "-CAkey", "ca.key"));
        run(d, command.toArray(String[]::new));
        Files.writeString(d.resolve(name + ".crt"), Files.readString(d.resolve(name + "-leaf.crt"))
                + Files.readString(d.resolve("ca.crt")));
    }

    private static void run(Path d, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(d.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
