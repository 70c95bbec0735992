package io.squall.httpserver;

import io.squall.http.HttpUtil;
import java.time.Instant;

/** The {@code Date} header value, formatted at most once per second and shared by all loops. */
final class HttpDate {
    private record Cached(long second, String value) {}

    private static volatile Cached cached = new Cached(-1, "");

    private HttpDate() {}

    /** The current time as an IMF-fixdate. */
    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Cached c = cached;
        if (c.second != second) {
            c = new Cached(second, HttpUtil.formatDate(Instant.ofEpochSecond(second)));
            cached = c;
        }
        return c.value;
    }
}
