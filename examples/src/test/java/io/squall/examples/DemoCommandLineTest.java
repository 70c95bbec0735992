package io.squall.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code ./squall} command line: exit codes of bad input in process, the demo's listening address in a child JVM. */
class DemoCommandLineTest {
    private static final Pattern BANNER = Pattern.compile("Squall demo on http://127\\.0\\.0\\.1:(\\d+)/.*");

    /** What one {@link Main#run} printed and returned. */
    private record Outcome(int code, String out, String err) {}

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void portInUseIsOneLineAndExitCodeTwo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome outcome = run("demo", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(Main.USAGE_ERROR, outcome.code());
            List<String> lines = outcome.err().lines().toList();
            assertEquals(1, lines.size(), outcome.err());
            assertTrue(lines.getFirst().startsWith("squall demo: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), lines.getFirst());
            assertFalse(lines.getFirst().contains("Exception"), lines.getFirst());
            assertEquals("", outcome.out(), "no banner and no 'stopped' for a demo that never started");
        }
    }

    @Test
    void badArgumentsAreExitCodeTwo() {
        for (String[] args : List.of(new String[] {"demo", "--port", "x"}, new String[] {"demo", "--port", "70000"},
                new String[] {"demo", "--host"}, new String[] {"demo", "--port", "1", "--port", "2"},
                new String[] {"demo", "--verbose", "1"}, new String[] {"nothing"}, new String[] {})) {
            Outcome outcome = run(args);
            assertEquals(Main.USAGE_ERROR, outcome.code(), List.of(args).toString());
            assertTrue(outcome.err().contains("usage: ./squall demo"), outcome.err());
            assertEquals("", outcome.out());
        }
    }

    @Test
    void unknownHostIsOneLineAndExitCodeTwo() {
        Outcome outcome = run("demo", "--host", "no-such-host.invalid", "--port", "0");
        assertEquals(Main.USAGE_ERROR, outcome.code());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
    }

    @Test
    @Timeout(60)
    void demoListensOnLoopbackOnlyAndDrainsOnSigterm() throws Exception {
        Process demo = startDemo("demo", "--port", "0");
        try (BufferedReader out = demo.inputReader(StandardCharsets.UTF_8)) {
            Matcher banner = BANNER.matcher(readLine(out, demo));
            assertTrue(banner.matches(), banner.toString());
            int port = Integer.parseInt(banner.group(1));
            for (InetAddress other : nonLoopbackAddresses()) {
                assertThrows(ConnectException.class, () -> new Socket(other, port).close(), "listening on " + other);
            }
            try (Socket inFlight = new Socket("127.0.0.1", port)) {
                inFlight.setSoTimeout(20_000);
                OutputStream request = inFlight.getOutputStream();
                BufferedReader response = new BufferedReader(new InputStreamReader(inFlight.getInputStream(), StandardCharsets.ISO_8859_1));
                // The 100 Continue says the server is reading this request: it is in flight when the signal comes.
                request.write("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("HTTP/1.1 100 Continue", response.readLine());
                assertEquals("", response.readLine());

                demo.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
                assertEquals("Squall demo draining: finishing requests in flight (up to 10 s)", readLine(out, demo));
                request.write("body".getBytes(StandardCharsets.ISO_8859_1));
                assertEquals("HTTP/1.1 200 OK", response.readLine());
                List<String> head = new ArrayList<>();
                for (String line = response.readLine(); !line.isEmpty(); line = response.readLine()) {
                    head.add(line.toLowerCase(java.util.Locale.ROOT));
                }
                assertTrue(head.contains("connection: close"), head.toString());
            }
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo did not stop");
            assertEquals("Squall demo stopped", readLine(out, demo));
            assertEquals(128 + 15, demo.exitValue(), "the exit code of a JVM ended by SIGTERM");
        } finally {
            demo.destroyForcibly();
        }
    }

    static Process startDemo(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The next line of the child's output that is not a log line. */
    static String readLine(BufferedReader out, Process child) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("Squall")) {
                return line;
            }
        }
        throw new AssertionError("the demo ended without a banner, exit code " + child.exitValue());
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nif.isUp() && !nif.isLoopback()) {
                nif.inetAddresses().filter(a -> !a.isLinkLocalAddress()).forEach(found::add);
            }
        }
        return found;
    }
}
