package io.squall.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Builds {@code examples/starter/} the way a user would: installs the library modules with the
 * repository's Maven wrapper, then runs the starter's own build and test against them. Slow (two nested
 * Maven runs), so it runs in the default (fast-mode) execution only.
 */
@EnabledIfSystemProperty(named = "squall.test.expectedMode", matches = "LOOP_CARRIER")
class StarterProjectTest {
    private static final String LIBRARY_MODULES = "core,web,httpclient,websocket";


    /** Runs the wrapper in {@code root} with {@code arguments}; fails with its output unless it exits 0. */
    private static void mvnw(Path root, String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B"));
        command.addAll(List.of(arguments));
        Path log = Files.createTempFile("squall-starter", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // Maven runs on this test's JDK 25.
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = builder.start();
            boolean exited = process.waitFor(10, TimeUnit.MINUTES);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(exited, String.join(" ", command) + " did not finish in 10 minutes:\n" + output);
            assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void theStarterBuildsAndPassesItsTestAgainstTheInstalledLibrary() throws Exception {
        Path root = RepositoryRoot.find();
        Path starter = root.resolve("examples/starter/pom.xml");
        assertTrue(Files.isRegularFile(starter), starter.toString());
        mvnw(root, "-q", "install", "-DskipTests", "-pl", LIBRARY_MODULES, "-am");
        mvnw(root, "-q", "-f", starter.toString(), "verify");
    }
}
