package io.squall.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Command line of the {@code ./squall} launcher: {@code demo} and {@code example NAME}. A bad argument,
 * or a demo that cannot listen, is one line on standard error and exit code 2.
 */
public final class Main {
    /** Exit code of a bad command line or a demo that cannot start. */
    static final int USAGE_ERROR = 2;

    private Main() {}

    /** Entry point; see {@link #usage()}. */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command line {@code args}; returns the process exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String[] words = Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                .filter(w -> !w.isEmpty()).toArray(String[]::new);
        if (words.length == 0) {
            err.println(usage());
            return USAGE_ERROR;
        }
        switch (words[0]) {
            case "demo" -> {
                DemoServer.Address address = demoAddress(words);
                if (address == null) {
                    err.println("bad arguments: " + String.join(" ", words) + "\n" + usage());
                    return USAGE_ERROR;
                }
                return DemoServer.run(address, out, err);
            }
            case "example" -> {
                return runExample(words.length > 1 ? words[1] : "",
                        Arrays.asList(words).subList(Math.min(2, words.length), words.length), out, err);
            }
            default -> {
                err.println("unknown command: " + words[0] + "\n" + usage());
                return USAGE_ERROR;
            }
        }
    }

    private static int runExample(String name, List<String> arguments, PrintStream out, PrintStream err) {
        switch (name) {
            case "coroutines" -> new CoroutinesExample(out).run();
            case "parallel" -> new ParallelExample(out, new Random()).run();
            case "raw-client" -> new RawClientExample(out).run();
            case "fetch" -> new FetchExample(out).run(arguments);
            default -> {
                err.println("unknown example: '" + name + "'\n" + usage());
                return USAGE_ERROR;
            }
        }
        return 0;
    }

    /** The demo's {@code [--host H] [--port N] [--tls]} (in any order, each at most once), or null if they are bad. */
    private static DemoServer.Address demoAddress(String[] words) {
        String host = DemoServer.DEFAULT_HOST;
        int port = DemoServer.DEFAULT_PORT;
        boolean hostSeen = false;
        boolean portSeen = false;
        boolean tls = false;
        for (int i = 1; i < words.length; i += 2) {
            if (words[i].equals("--tls")) {
                if (tls) {
                    return null;
                }
                tls = true;
                i--; // a flag without a value
                continue;
            }
            if (i + 1 >= words.length) {
                return null;
            }
            String value = words[i + 1];
            switch (words[i]) {
                case "--host" -> {
                    if (hostSeen) {
                        return null;
                    }
                    hostSeen = true;
                    host = value;
                }
                case "--port" -> {
                    if (portSeen) {
                        return null;
                    }
                    portSeen = true;
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    if (port < 0 || port > 65535) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return new DemoServer.Address(host, port, tls);
    }

    static String usage() {
        return """
                usage: ./squall demo [--host H] [--port N] [--tls]  the demo web app on 127.0.0.1:8888 (--host 0.0.0.0: every interface; --tls: HTTPS, self-signed): /, /sleep, /echo
                       ./squall example coroutines   Tornado's routine_main coroutine walk-through
                       ./squall example parallel     Tornado's outer_coroutine: coroutines in parallel
                       ./squall example raw-client   two slow requests over IOStream, in turn then at once
                       ./squall example fetch [URL...]  fetch URLs at once with AsyncHttpClient (none: the demo's /sleep × 3)""";
    }
}
