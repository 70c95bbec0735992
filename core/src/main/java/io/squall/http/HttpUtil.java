package io.squall.http;

import io.squall.http.syntax.HttpSyntax;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Helpers from Tornado's {@code httputil} that an HTTP server and client need around the parser: query
 * strings, dates, reason phrases, {@code host:port} splitting.
 */
public final class HttpUtil {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static final Map<Integer, String> REASON_TABLE = Map.ofEntries(
            Map.entry(100, "Continue"),
            Map.entry(101, "Switching Protocols"),
            Map.entry(102, "Processing"),
            Map.entry(103, "Early Hints"),
            Map.entry(200, "OK"),
            Map.entry(201, "Created"),
            Map.entry(202, "Accepted"),
            Map.entry(203, "Non-Authoritative Information"),
            Map.entry(204, "No Content"),
            Map.entry(205, "Reset Content"),
            Map.entry(206, "Partial Content"),
            Map.entry(207, "Multi-Status"),
            Map.entry(208, "Already Reported"),
            Map.entry(226, "IM Used"),
            Map.entry(300, "Multiple Choices"),
            Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Found"),
            Map.entry(303, "See Other"),
            Map.entry(304, "Not Modified"),
            Map.entry(305, "Use Proxy"),
            Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"),
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"),
            Map.entry(407, "Proxy Authentication Required"),
            Map.entry(408, "Request Timeout"),
            Map.entry(409, "Conflict"),
            Map.entry(410, "Gone"),
            Map.entry(411, "Length Required"),
            Map.entry(412, "Precondition Failed"),
            Map.entry(413, "Content Too Large"),
            Map.entry(414, "URI Too Long"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(416, "Range Not Satisfiable"),
            Map.entry(417, "Expectation Failed"),
            Map.entry(418, "I'm a Teapot"),
            Map.entry(421, "Misdirected Request"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(423, "Locked"),
            Map.entry(424, "Failed Dependency"),
            Map.entry(425, "Too Early"),
            Map.entry(426, "Upgrade Required"),
            Map.entry(428, "Precondition Required"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(451, "Unavailable For Legal Reasons"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"),
            Map.entry(505, "HTTP Version Not Supported"),
            Map.entry(506, "Variant Also Negotiates"),
            Map.entry(507, "Insufficient Storage"),
            Map.entry(508, "Loop Detected"),
            Map.entry(510, "Not Extended"),
            Map.entry(511, "Network Authentication Required"));
    /** {@link #REASON_TABLE} indexed by code, for the lookup every response makes. */
    private static final String[] REASONS = new String[600];

    static {
        REASON_TABLE.forEach((code, reason) -> REASONS[code] = reason);
    }

    private HttpUtil() {}

    /**
     * Decodes an {@code application/x-www-form-urlencoded} string, such as the query of a URL, as Tornado's
     * {@code parse_qs_bytes(qs, keep_blank_values=True)} does: pairs are separated by {@code &} (empty ones
     * are skipped), a pair without {@code =} has an empty value, {@code +} means a space, and
     * percent-escapes are decoded as UTF-8 (malformed UTF-8 becomes U+FFFD; an invalid escape such as
     * {@code %zz} stays as it is). Unlike Tornado, names are decoded as UTF-8 too, not as Latin-1.
     *
     * @return a new mutable map from each name, in order of first appearance, to its values in order
     */
    public static Map<String, List<String>> parseQueryString(String query) {
        return parseQueryString(query, false);
    }

    /**
     * Decodes a form-urlencoded string like {@link #parseQueryString(String)}; with {@code strict}, malformed
     * UTF-8 is an error instead of U+FFFD (a web framework answers it with 400, as Tornado does).
     *
     * @return a new mutable map from each name, in order of first appearance, to its values in order
     * @throws IllegalArgumentException if {@code strict} and a name or value is not valid UTF-8 once decoded
     */
    public static Map<String, List<String>> parseQueryString(String query, boolean strict) {
        Objects.requireNonNull(query, "query");
        Map<String, List<String>> result = new LinkedHashMap<>();
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            if (end > start) {
                int eq = query.indexOf('=', start);
                int nameEnd = eq < 0 || eq > end ? end : eq;
                String name = percentDecode(query, start, nameEnd, true, strict);
                String value = nameEnd == end ? "" : percentDecode(query, nameEnd + 1, end, true, strict);
                result.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return result;
    }

    /**
     * The arguments of a request body (Tornado's {@code parse_body_arguments}): the pairs of an
     * {@code application/x-www-form-urlencoded} body, decoded like {@link #parseQueryString(String, boolean)};
     * an empty map for any other content type (or none).
     *
     * @param contentType the request's {@code Content-Type} header, or null
     * @throws IllegalArgumentException if {@code strict} and the body holds malformed UTF-8
     */
    public static Map<String, List<String>> parseBodyArguments(String contentType, byte[] body, boolean strict) {
        Objects.requireNonNull(body, "body");
        boolean form = contentType != null
                && contentType.strip().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        return form ? parseQueryString(new String(body, StandardCharsets.ISO_8859_1), strict) : new LinkedHashMap<>();
    }

    /**
     * Decodes the percent-escapes of {@code s} as UTF-8 (Python's {@code unquote}, or {@code unquote_plus}
     * when {@code plusAsSpace}), as Tornado decodes the groups a URL pattern captured (without
     * {@code plusAsSpace}: in a path, {@code +} is a plus). An invalid escape such as {@code %zz} stays as it is.
     *
     * @throws IllegalArgumentException if the decoded bytes are not valid UTF-8
     */
    public static String urlDecode(String s, boolean plusAsSpace) {
        Objects.requireNonNull(s, "s");
        return percentDecode(s, 0, s.length(), plusAsSpace, true);
    }

    /**
     * Decodes {@code s[from, to)}: {@code +} becomes a space if {@code plusAsSpace}; each run of ASCII
     * characters is percent-decoded to bytes and read as UTF-8 (malformed input is an error if {@code strict},
     * else U+FFFD); other characters are kept.
     */
    private static String percentDecode(String s, int from, int to, boolean plusAsSpace, boolean strict) {
        StringBuilder out = new StringBuilder(to - from);
        byte[] bytes = null;
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c > 0x7F) {
                out.append(c);
                i++;
                continue;
            }
            int runEnd = i;
            boolean escaped = false;
            while (runEnd < to && s.charAt(runEnd) <= 0x7F) {
                escaped |= s.charAt(runEnd) == '%';
                runEnd++;
            }
            if (!escaped) {
                for (int j = i; j < runEnd; j++) {
                    char a = s.charAt(j);
                    out.append(a == '+' && plusAsSpace ? ' ' : a);
                }
            } else {
                if (bytes == null || bytes.length < runEnd - i) {
                    bytes = new byte[runEnd - i];
                }
                int n = 0;
                for (int j = i; j < runEnd; j++) {
                    char a = s.charAt(j);
                    int hi = a == '%' && j + 2 < runEnd ? HttpSyntax.hexValue(s.charAt(j + 1)) : -1;
                    int lo = hi >= 0 ? HttpSyntax.hexValue(s.charAt(j + 2)) : -1;
                    if (lo >= 0) {
                        bytes[n++] = (byte) (hi << 4 | lo);
                        j += 2;
                    } else {
                        bytes[n++] = (byte) (a == '+' && plusAsSpace ? ' ' : a);
                    }
                }
                out.append(strict ? decodeUtf8Strictly(bytes, n, s, from, to) : new String(bytes, 0, n, StandardCharsets.UTF_8));
            }
            i = runEnd;
        }
        return out.toString();
    }

    private static String decodeUtf8Strictly(byte[] bytes, int length, String s, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            String text = to - from > 64 ? s.substring(from, from + 64) + "..." : s.substring(from, to);
            throw new IllegalArgumentException("invalid UTF-8 in percent-encoded text \"" + text + "\"", e);
        }
    }

    /**
     * Formats an instant as an IMF-fixdate (RFC 9110 §5.6.7), the form of the Date, Expires and
     * Last-Modified headers: {@code Sun, 06 Nov 1994 08:49:37 GMT}. Fractions of a second are dropped.
     */
    public static String formatDate(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }

    /** The standard reason phrase of a status code (RFC 9110 §15), or {@code "Unknown"} as in Tornado. */
    public static String reasonPhrase(int code) {
        return code >= 100 && code < 600 && REASONS[code] != null ? REASONS[code] : "Unknown";
    }

    /**
     * A host and an optional port, as split by {@link #splitHostAndPort}.
     *
     * @param host the host part, as given (an IPv6 literal keeps its brackets)
     * @param port the port, if there was one
     */
    public record HostAndPort(String host, OptionalInt port) {
        /** Checks that no component is null. */
        public HostAndPort {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(port, "port");
        }
    }

    /**
     * Splits {@code host:port} at its last colon, as Tornado's {@code split_host_and_port}: when what
     * follows the colon is a port (1–5 digits, at most 65535) and what precedes it is not empty, they are
     * the host and the port; otherwise the whole string is the host and there is no port. A bare IPv6
     * address such as {@code ::1} is a host without a port (Tornado would split it); in brackets,
     * {@code [::1]:8080} splits into {@code [::1]} and 8080.
     */
    public static HostAndPort splitHostAndPort(String netloc) {
        Objects.requireNonNull(netloc, "netloc");
        int colon = netloc.lastIndexOf(':');
        if (colon > 0) {
            int port = HttpSyntax.parsePort(netloc, colon + 1);
            boolean bareIpv6 = netloc.charAt(0) != '[' && netloc.lastIndexOf(':', colon - 1) >= 0;
            if (port >= 0 && !bareIpv6) {
                return new HostAndPort(netloc.substring(0, colon), OptionalInt.of(port));
            }
        }
        return new HostAndPort(netloc, OptionalInt.empty());
    }
}
