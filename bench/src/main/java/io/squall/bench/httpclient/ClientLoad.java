package io.squall.bench.httpclient;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Locale;

/**
 * What the HTTP client loads share: their arguments, and a warm-up batch followed by the measured batch,
 * timed by the wall clock and by this process's CPU time (user + system, every thread: the client's, the
 * JIT's and the GC's).
 *
 * <p>Arguments of every load: {@code URL REQUESTS WINDOW [WARMUP_REQUESTS]}: REQUESTS GETs of URL with
 * WINDOW of them in flight at any time, after WARMUP_REQUESTS (default REQUESTS: the JIT needs that many
 * to settle; 20,000 left C2 compiling in the measured batch) the same way. Prints one line:
 * {@code requests/s R cpu_us_per_request C seconds S}.
 *
 * @param url what every request gets
 * @param requests how many requests the measured batch makes
 * @param window how many are in flight at once
 * @param warmup how many requests the warm-up batch makes
 */
record ClientLoad(URI url, int requests, int window, int warmup) {
    /** One batch: {@code requests} GETs of the URL, {@code window} in flight; fails if one does not answer 200. */
    @FunctionalInterface
    interface Batch {
        void run(int requests) throws Exception;
    }

    /** The response body every request must get, the bench servers' {@code Hello, world}. */
    static final int EXPECTED_BODY_LENGTH = "Hello, world".length();

    /** Parses the command line; see the class comment. */
    static ClientLoad parse(String[] args) {
        if (args.length < 3 || args.length > 4) {
            throw new IllegalArgumentException("usage: URL REQUESTS WINDOW [WARMUP_REQUESTS]");
        }
        int requests = Integer.parseInt(args[1]);
        return new ClientLoad(URI.create(args[0]), requests, Integer.parseInt(args[2]),
                args.length == 4 ? Integer.parseInt(args[3]) : requests);
    }

    /** Runs the warm-up batch, then the measured one, and prints the measured line. */
    void warmUpThenMeasure(Batch batch) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        batch.run(warmup);
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        batch.run(requests);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicros = (os.getProcessCpuTime() - cpuBefore) / 1e3;
        System.out.println(String.format(Locale.ROOT, "requests/s %.0f cpu_us_per_request %.1f seconds %.2f",
                requests / seconds, cpuMicros / requests, seconds));
    }
}
