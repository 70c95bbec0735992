package io.squall.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Squall as named modules: {@link ModulePathCheck} runs in a child JVM started with {@code --module-path}
 * and {@code -m} (the suites themselves run on the class path), serves and fetches one JSON request,
 * and reports the coroutine mode it got.
 */
class ModulePathTest {
    /** The test class path minus the test tooling: Squall's modules and the libraries they require. */
    private static String modulePath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("test-classes") && !entry.endsWith("-tests.jar") && !entry.contains("junit")
                        && !entry.contains("opentest4j") && !entry.contains("apiguardian"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Runs {@link ModulePathCheck} as a module with {@code jvmOptions}; returns its whole output. */
    private static String runCheck(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("--module-path", modulePath(),
                "-m", "io.squall.examples/" + ModulePathCheck.class.getName()));
        try {
            Path log = Files.createTempFile("squall-module-path", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                boolean exited = process.waitFor(60, TimeUnit.SECONDS);
                if (!exited) {
                    process.destroyForcibly();
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                assertTrue(exited, "the module-path JVM did not exit:\n" + output);
                assertEquals(0, process.exitValue(), "the module-path JVM failed:\n" + output);
                return output;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void servesARequestInFastModeWithJavaLangOpenedToTheCoreModule() {
        String output = runCheck("--add-opens", "java.base/java.lang=io.squall.core");
        assertTrue(output.contains("module=io.squall.core"), output);
        assertTrue(output.contains("status=200"), output);
        assertTrue(output.contains("body={\"hello\":\"modules\",\"count\":1}"), output);
        assertTrue(output.contains("mode=LOOP_CARRIER"), output);
        assertTrue(!output.contains("hand-off mode"), output);
    }

    @Test
    void withoutTheFlagRunsInHandOffModeAndNamesTheModuleInTheWarning() {
        String output = runCheck();
        assertTrue(output.contains("mode=HAND_OFF"), output);
        assertTrue(output.contains("status=200"), output);
        assertTrue(output.contains("--add-opens java.base/java.lang=io.squall.core"), output);
        assertTrue(!output.contains("ALL-UNNAMED"), output);
    }
}
