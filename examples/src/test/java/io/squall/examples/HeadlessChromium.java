package io.squall.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.ExternalTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives Debian's {@code chromium} headless through npm's {@code playwright-core}, both installed when
 * missing (the test is skipped, with one message saying what is missing, only where they cannot be).
 *
 * <p>A scenario is a Node script among the test resources under {@code browser/}; it gets the base URL,
 * a directory for its screenshots ({@code target/browser/NAME}) and any extra arguments, finds Chromium in
 * {@code $CHROMIUM}, prints what it does, and exits non-zero with the reason when a check fails.
 */
final class HeadlessChromium {
    private HeadlessChromium() {}

    /**
     * Runs the scenario script {@code browser/SCRIPT} against {@code baseUrl} and returns what it printed.
     * Blocking: call it from an executor thread, not the loop.
     */
    static String run(String script, String baseUrl, String name, String... args) {
        String chromium = ExternalTools.requireCommand("chromium", "chromium");
        Path nodeModules = ExternalTools.requireNpmPackages("playwright-core@1");
        try {
            Path dir = Files.createDirectories(Path.of("target", "browser"));
            Path scriptFile = dir.resolve(script);
            try (InputStream in = HeadlessChromium.class.getResourceAsStream("/browser/" + script)) {
                assertTrue(in != null, "no test resource browser/" + script);
                Files.write(scriptFile, in.readAllBytes());
            }
            Path shots = Files.createDirectories(dir.resolve(name));
            List<String> command = new ArrayList<>(List.of("node", scriptFile.toString(), baseUrl, shots.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("NODE_PATH", nodeModules.toString());
            builder.environment().put("CHROMIUM", chromium);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the browser scenario did not end: " + output);
            System.out.println("[" + name + "] " + output.strip());
            assertEquals(0, process.exitValue(), "browser scenario " + name + " failed:\n" + output);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
