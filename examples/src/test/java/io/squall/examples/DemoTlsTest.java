package io.squall.examples;

import static org.junit.jupiter.api.Assertions.*;

import io.squall.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./squall demo --tls} as a user runs it (its own JVM, port 0), checked from outside with
 * OpenSSL's {@code s_client} (TLS 1.2 and 1.3 accepted, 1.1 refused, ALPN http/1.1, the printed
 * fingerprint is the served certificate's) and Debian's {@code testssl.sh}.
 */
class DemoTlsTest {
    private static final Pattern URL = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern FINGERPRINT = Pattern.compile("SHA-256 fingerprint ([0-9A-F:]{95})");
    private static Process demo;
    private static int port;
    private static String fingerprint;

    @BeforeAll
    static void startTheDemo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        demo = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "demo", "--tls", "--port", "0").redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line; port == 0 && (line = lines.readLine()) != null; ) {
            seen.add(line);
            Matcher f = FINGERPRINT.matcher(line);
            if (f.find()) {
                fingerprint = f.group(1);
            }
            Matcher u = URL.matcher(line);
            if (u.find()) {
                port = Integer.parseInt(u.group(1));
            }
        }
        assertTrue(port > 0 && fingerprint != null, "the demo printed no https URL and fingerprint: " + seen);
        Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(l -> { })); // keep its pipe drained
    }

    @AfterAll
    static void stopTheDemo() throws Exception {
        if (demo != null) {
            demo.destroy(); // SIGTERM: the demo stops its loop and closes its server
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo did not stop");
        }
    }

    /** Runs {@code command} with empty input, bounded in time; returns its exit code and output. */
    private static Result run(int timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[][] output = new byte[1][];
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = new byte[0];
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(command.getFirst() + " did not finish in " + timeoutSeconds + " s");
        }
        reader.join();
        return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {}

    private Result sClient(String... options) throws Exception {
        String openssl = ExternalTools.requireCommand("openssl", "openssl");
        List<String> command = new ArrayList<>(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-alpn", "http/1.1"));
        command.addAll(List.of(options));
        return run(60, command);
    }

    @Test
    void tls12And13AreAcceptedWithAlpnHttp11() throws Exception {
        for (String version : List.of("1.2", "1.3")) {
            Result result = sClient("-tls" + version.replace('.', '_'));
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("Protocol  : TLSv" + version)
                    || result.output().contains("New, TLSv" + version), result.output());
            assertTrue(result.output().contains("ALPN protocol: http/1.1"), result.output());
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        // SECLEVEL=0 lets this OpenSSL offer TLS 1.1 at all; the server must still refuse it.
        Result result = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("Cipher is (NONE)"), "no session was agreed: " + result.output());
    }

    @Test
    void thePrintedFingerprintIsTheServedCertificates() throws Exception {
        Result result = sClient("-tls1_3");
        int begin = result.output().indexOf("-----BEGIN CERTIFICATE-----");
        int end = result.output().indexOf("-----END CERTIFICATE-----");
        assertTrue(begin >= 0 && end > begin, result.output());
        byte[] pem = result.output().substring(begin, end + 25).getBytes(StandardCharsets.US_ASCII);
        byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem)).getEncoded();
        assertEquals(fingerprint, HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
    }

    @Test
    void testsslFindsNothingSevere() throws Exception {
        String testssl = ExternalTools.requireCommand("testssl", "testssl.sh");
        Path report = Path.of("target", "testssl", "demo-tls.txt");
        Files.createDirectories(report.getParent());
        Files.deleteIfExists(report);
        // The quick mode, limited to protocols, cipher categories, forward secrecy, server defaults and
        // vulnerabilities (no client simulation, no per-cipher scan): about a minute.
        Result result = run(600, List.of(testssl, "--fast", "-p", "-s", "-f", "-S", "-U", "--color", "0",
                "--warnings", "batch", "--quiet", "--logfile", report.toString(), "127.0.0.1:" + port));
        String output = result.output();
        assertTrue(output.contains("TLS 1.3") && output.contains("Testing vulnerabilities"), output);
        // A self-signed certificate is untrusted and has no CRL or OCSP URI, by design: not findings here.
        List<String> severe = output.lines()
                .filter(line -> line.contains("NOT ok") || line.contains("VULNERABLE") && !line.contains("not vulnerable"))
                .filter(line -> !line.contains("self signed") && !line.contains("neither CRL nor OCSP"))
                .toList();
        assertEquals(List.of(), severe, "testssl.sh findings (full report in " + report + ")");
        assertTrue(output.lines().anyMatch(l -> l.contains("TLS 1.1") && l.contains("not offered")), output);
    }
}
