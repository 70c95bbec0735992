package io.squall.http1;

import io.squall.http.syntax.HttpSyntax;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The methods and field names most messages carry, so that the parser can hand out one shared
 * {@code String} instead of decoding a new one for every request (as Netty's {@code HttpHeaderNames} and
 * HPACK's static table do). A shared name also compares fastest: {@link HttpSyntax#equalsIgnoreAsciiCase}
 * starts with {@code equals}, which starts with identity. Matching is exact, byte for byte; anything else is
 * decoded as usual.
 */
final class KnownTokens {
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
    private static final String[] FIELD_NAMES = {
        "Host", "Connection", "Content-Length", "Content-Type", "Transfer-Encoding", "Accept", "Accept-Encoding",
        "Accept-Language", "User-Agent", "Cookie", "Referer", "Origin", "Cache-Control", "Pragma", "Upgrade",
        "If-None-Match", "If-Modified-Since", "Authorization", "Expect", "Keep-Alive", "X-Forwarded-For",
        "X-Forwarded-Proto", "X-Real-Ip", "X-Requested-With", "Upgrade-Insecure-Requests", "Sec-Fetch-Dest",
        "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        "Date", "Server", "Etag", "Location", "Set-Cookie", "Vary", "Last-Modified", "Content-Encoding",
        // the lower-case spelling some clients (and every HTTP/2 gateway) use
        "host", "connection", "content-length", "content-type", "transfer-encoding", "accept", "accept-encoding",
        "accept-language", "user-agent", "cookie", "referer", "origin", "cache-control", "upgrade",
        "authorization", "x-forwarded-for", "x-forwarded-proto", "x-real-ip", "date", "server", "etag",
        "location", "set-cookie", "vary", "last-modified", "content-encoding",
    };
    private static final int MAX_LENGTH = 32;

    static final KnownTokens METHOD = new KnownTokens(METHODS);
    static final KnownTokens FIELD_NAME = new KnownTokens(FIELD_NAMES);

    /** By length: the tokens of that length, and their bytes. */
    private final String[][] strings = new String[MAX_LENGTH][];
    private final byte[][][] bytes = new byte[MAX_LENGTH][][];

    private KnownTokens(String[] tokens) {
        for (String token : tokens) {
            int n = token.length();
            strings[n] = strings[n] == null ? new String[] {token} : append(strings[n], token);
            byte[] b = token.getBytes(StandardCharsets.ISO_8859_1);
            bytes[n] = bytes[n] == null ? new byte[][] {b} : append(bytes[n], b);
        }
    }

    private static <T> T[] append(T[] array, T element) {
        T[] longer = Arrays.copyOf(array, array.length + 1);
        longer[array.length] = element;
        return longer;
    }

    /** {@code buf[from, to)} as a string: the shared one if it is a known token, else a new ISO-8859-1 one. */
    String decode(byte[] buf, int from, int to) {
        int n = to - from;
        if (n < MAX_LENGTH && bytes[n] != null) {
            byte[][] candidates = bytes[n];
            for (int i = 0; i < candidates.length; i++) {
                if (Arrays.equals(buf, from, to, candidates[i], 0, n)) {
                    return strings[n][i];
                }
            }
        }
        return new String(buf, from, n, StandardCharsets.ISO_8859_1);
    }
}
