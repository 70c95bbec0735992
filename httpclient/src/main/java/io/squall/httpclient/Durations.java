package io.squall.httpclient;

import java.time.Duration;

/** Duration helpers shared by the client's options and messages. */
final class Durations {
    private Durations() {}

    /** {@code 1.5 s}, {@code 250 ms}: short and readable, for error messages. */
    static String format(Duration d) {
        if (d == null) {
            return "none";
        }
        long millis = d.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.3g s", millis / 1000.0);
    }

    /** Checks that {@code d} is not negative; zero means "no limit" where the caller says so. */
    static Duration requireNonNegative(Duration d, String what) {
        java.util.Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d;
    }
}
