package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand concurrent connections to a handler that waits one second (on a loop timer) before
 * answering: one loop, one coroutine per connection, all answered in a few seconds.
 *
 * <p>The client is a {@link LoadClient} in a child JVM: one loop with Squall's own streams, and its
 * 10,000 sockets in a process of their own, since both ends in this JVM would need 20,000 descriptors
 * (more than the usual {@code ulimit -n} of this machine, which a JVM cannot raise for itself). The
 * server's own share is checked against this JVM's limit, and the count is scaled down, with a note,
 * if it does not fit.
 */
class HttpServerScaleTest extends HttpServerTestCase {
    private static final int TARGET = 10_000;
    private static final Duration HANDLER_DELAY = Duration.ofSeconds(1);
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void tenThousandConcurrentConnectionsToASlowHandlerAreAllAnswered() {
        int connections = connectionsThatFit();
        int[] inFlight = {0};
        int[] peak = {0};
        long start = System.nanoTime();
        String output = loop.runSync(() -> {
            startServer(exchange -> {
                peak[0] = Math.max(peak[0], ++inFlight[0]);
                exchange.later(() -> {
                    await(sleep(HANDLER_DELAY));
                    inFlight[0]--;
                    await(exchange.respond(200, "slept"));
                });
            });
            Process client = startClient(connections);
            return io(() -> {
                String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(client.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS), "the load client did not exit");
                return out;
            });
        }, BOUND.plusSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("HttpServerScaleTest: " + connections + " connections, peak " + peak[0]
                + " handlers waiting at once, " + took.toMillis() + " ms; client: " + output.strip());
        assertTrue(output.contains("RESULT answered=" + connections + " failed=0 "), output);
        assertEquals(connections, app.exchanges().size());
        assertTrue(took.compareTo(BOUND) < 0, "took " + took);
        // Serving one at a time would take connections x 1 s; a good share of them waited together.
        assertTrue(peak[0] >= connections / 10, "only " + peak[0] + " handlers were waiting at once");
    }

    /** {@link #TARGET}, or fewer if this JVM's descriptor limit cannot hold the server's sockets. */
    private static int connectionsThatFit() {
        Path limits = Path.of("/proc/self/limits");
        Assumptions.assumeTrue(Files.isReadable(limits), "needs /proc to check the descriptor limit");
        try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
            long openNow = open.count();
            long soft = Files.readAllLines(limits).stream().filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.split("\\s+")[3]).mapToLong(v -> v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v))
                    .findFirst().orElseThrow();
            long room = soft - openNow - 500;
            if (room < TARGET) {
                System.out.println("HttpServerScaleTest: ulimit -n is " + soft + " with " + openNow
                        + " open: scaling down from " + TARGET + " to " + room + " connections");
            }
            Assumptions.assumeTrue(room >= 1000, "too few file descriptors for a scale test: " + room);
            return (int) Math.min(TARGET, room);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@link LoadClient} in a child JVM with this JVM's class path. */
    private Process startClient(int connections) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LoadClient.class.getName(),
                Integer.toString(port), Integer.toString(connections), "/sleep", Long.toString(BOUND.toSeconds()));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the load client", e);
        }
    }
}
