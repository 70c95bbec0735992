package io.squall.http.syntax;

/**
 * Character classes of HTTP/1.1 (RFC 9110 §5, RFC 9112) as lookup tables, and the small string helpers the
 * parsers share. Bytes and Latin-1 {@code char}s are treated alike: {@code c} is in 0–255 for both.
 */
public final class HttpSyntax {
    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final int SNIPPET_LIMIT = 80;

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        FIELD_VALUE['\t'] = true;
        for (int c = ' '; c < 0x7F; c++) {
            FIELD_VALUE[c] = true;
        }
        for (int c = 0x80; c <= 0xFF; c++) {
            FIELD_VALUE[c] = true;
        }
    }

    private HttpSyntax() {}

    /** A token character (RFC 9110 §5.6.2). */
    public static boolean isTchar(int c) {
        return c >= 0 && c < 256 && TCHAR[c];
    }

    /** A character allowed in a field value: HTAB, SP, VCHAR or obs-text; no other control character. */
    public static boolean isFieldValueByte(int c) {
        return c >= 0 && c < 256 && FIELD_VALUE[c];
    }

    /** A visible US-ASCII character (VCHAR, 0x21–0x7E). */
    public static boolean isVchar(int c) {
        return c > 0x20 && c < 0x7F;
    }

    /** Optional whitespace (OWS): space or horizontal tab. */
    public static boolean isWhitespace(int c) {
        return c == ' ' || c == '\t';
    }

    public static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The value of a hex digit, or -1 if {@code c} is not one. */
    public static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The first index in {@code [from, to)} that is not SP or HTAB, or {@code to}. */
    public static int skipWhitespace(CharSequence s, int from, int to) {
        while (from < to && isWhitespace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    /** The end of {@code [from, to)} once trailing SP and HTAB are dropped. */
    public static int trimWhitespaceEnd(CharSequence s, int from, int to) {
        while (to > from && isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /** The first index in {@code [from, to)} that is not SP or HTAB, or {@code to}. */
    public static int skipWhitespace(byte[] b, int from, int to) {
        while (from < to && isWhitespace(b[from])) {
            from++;
        }
        return from;
    }

    /** The end of {@code [from, to)} once trailing SP and HTAB are dropped. */
    public static int trimWhitespaceEnd(byte[] b, int from, int to) {
        while (to > from && isWhitespace(b[to - 1])) {
            to--;
        }
        return to;
    }

    /** {@code s} with A–Z lower-cased and every other character kept (header names are ASCII tokens). */
    public static String asciiLowerCase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] += 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    /** Whether {@code a} and {@code b} are equal once A–Z are lower-cased. */
    public static boolean equalsIgnoreAsciiCase(String a, String b) {
        return a.length() == b.length() && (a.equals(b) || regionEqualsIgnoreAsciiCase(a, 0, a.length(), b));
    }

    /**
     * Whether the comma-separated list {@code value} has an element equal to {@code token} ignoring ASCII case
     * and the optional whitespace around elements ({@code "keep-alive, Close"} contains {@code close}).
     */
    public static boolean listContainsToken(String value, String token) {
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int from = skipWhitespace(value, start, end);
            int to = trimWhitespaceEnd(value, from, end);
            if (regionEqualsIgnoreAsciiCase(value, from, to, token)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** Whether {@code s[from, to)} equals {@code other} once A–Z are lower-cased in both. */
    public static boolean regionEqualsIgnoreAsciiCase(String s, int from, int to, String other) {
        if (to - from != other.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (lower(s.charAt(i)) != lower(other.charAt(i - from))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** A character for an error message: {@code 'x'} when printable ASCII, its code (0x0D) otherwise. */
    public static String describe(int c) {
        return isVchar(c) ? "'" + (char) c + "'" : String.format("0x%02X", c);
    }

    /** {@code buf[from, to)} for an error message: quoted, non-printable bytes escaped, truncated. */
    public static String snippet(byte[] buf, int from, int to) {
        StringBuilder sb = new StringBuilder("\"");
        int stop = Math.min(to, from + SNIPPET_LIMIT);
        for (int i = from; i < stop; i++) {
            int c = buf[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        return sb.append(stop < to ? "\"..." : "\"").toString();
    }

    /** The port in {@code s[from, end)}: 1–5 decimal digits up to 65535; -1 if it is not one. */
    public static int parsePort(String s, int from) {
        int digits = s.length() - from;
        if (digits < 1 || digits > 5) {
            return -1;
        }
        int port = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535 ? port : -1;
    }
}
