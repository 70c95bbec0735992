package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.ioloop.IOLoop;
import io.squall.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs independent clients (curl, Python's requests) on an executor thread, awaited from a test's coroutine. */
final class ExternalClients {
    private ExternalClients() {}

    /** Runs curl with {@code args} and returns what it printed (stdout and stderr); curl must succeed. */
    static String curl(String... args) {
        List<String> command = new ArrayList<>(List.of(ExternalTools.requireCommand("curl", "curl"),
                "--silent", "--show-error", "--max-time", "20"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code script} with Debian's python3 once it has {@code requests}; returns what it printed. */
    static String pythonRequests(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ExternalTools.requirePythonModule("requests", "python3-requests"), "-c", script));
        command.addAll(List.of(args));
        return run(command);
    }

    private static String run(List<String> command) {
        return await(IOLoop.current().runInExecutor(null, () -> {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), command.getFirst() + " did not finish");
            assertEquals(0, process.exitValue(), output);
            return output;
        }));
    }
}
