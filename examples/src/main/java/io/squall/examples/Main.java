package io.squall.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Command line of the {@code ./squall} launcher: {@code demo} and {@code example NAME}.
 */
public final class Main {
    private Main() {}

    /** Entry point; see {@link #usage()}. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        String[] words = Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                .filter(w -> !w.isEmpty()).toArray(String[]::new);
        if (words.length == 0) {
            System.err.println(usage());
            System.exit(2);
        }
        switch (words[0]) {
            case "demo" -> {
                boolean tls = Arrays.asList(words).contains("--tls");
                DemoServer.run(port(Arrays.stream(words).filter(w -> !w.equals("--tls")).toArray(String[]::new)), tls, out);
            }
            case "example" -> runExample(words.length > 1 ? words[1] : "",
                    Arrays.asList(words).subList(Math.min(2, words.length), words.length), out);
            default -> {
                System.err.println("unknown command: " + words[0] + "\n" + usage());
                System.exit(2);
            }
        }
    }

    private static void runExample(String name, List<String> arguments, PrintStream out) {
        switch (name) {
            case "coroutines" -> new CoroutinesExample(out).run();
            case "parallel" -> new ParallelExample(out, new Random()).run();
            case "raw-client" -> new RawClientExample(out).run();
            case "fetch" -> new FetchExample(out).run(arguments);
            default -> {
                System.err.println("unknown example: '" + name + "'\n" + usage());
                System.exit(2);
            }
        }
    }

    private static int port(String[] words) {
        if (words.length == 1) {
            return 8888;
        }
        if (words.length == 3 && words[1].equals("--port")) {
            try {
                int port = Integer.parseInt(words[2]);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        System.err.println("bad arguments: " + String.join(" ", words) + "\n" + usage());
        System.exit(2);
        return -1;
    }

    static String usage() {
        return """
                usage: ./squall demo [--port N] [--tls]  the demo web app on port 8888: /, /sleep, /echo (--tls: HTTPS, self-signed)
                       ./squall example coroutines   Tornado's routine_main coroutine walk-through
                       ./squall example parallel     Tornado's outer_coroutine: coroutines in parallel
                       ./squall example raw-client   two slow requests over IOStream, in turn then at once
                       ./squall example fetch [URL...]  fetch URLs at once with AsyncHttpClient (none: the demo's /sleep × 3)""";
    }
}
