package io.squall.http1;

import io.squall.http.syntax.HttpSyntax;

/**
 * The value of a {@code Content-Length} field (RFC 9110 §8.6), read the one way every part of Squall
 * reads it: the request and response parsers, and the server checking the length an application set
 * on its response.
 */
public final class ContentLength {
    private ContentLength() {}

    /**
     * The length a field value an application wrote states: decimal digits, with optional whitespace
     * around them.
     *
     * @throws IllegalArgumentException naming what is wrong: nothing but whitespace, anything but
     *     decimal digits (a sign or a list included), or a value too large for a {@code long}
     */
    public static long parse(String value) {
        return parseDecimal(value, 0, value.length());
    }

    /**
     * The length a received field value states: a comma-separated list of such values, all equal (a
     * recipient may collapse {@code 5, 5} into 5, RFC 9110 §8.6).
     *
     * @throws IllegalArgumentException like {@link #parse}, or for an empty element or differing elements
     */
    public static long parseList(String value) {
        long result = -1;
        int start = 0;
        while (true) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            long length = parseDecimal(value, start, end);
            if (result >= 0 && length != result) {
                throw new IllegalArgumentException("conflicting Content-Length values " + result + " and " + length);
            }
            result = length;
            if (comma < 0) {
                return result;
            }
            start = comma + 1;
        }
    }

    /** The decimal number in {@code value[start, end)}, between optional whitespace. */
    private static long parseDecimal(String value, int start, int end) {
        int from = HttpSyntax.skipWhitespace(value, start, end);
        int to = HttpSyntax.trimWhitespaceEnd(value, from, end);
        if (from == to) {
            throw new IllegalArgumentException("empty element in Content-Length \"" + value + '"');
        }
        long result = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!HttpSyntax.isDigit(c)) {
                throw new IllegalArgumentException(
                        "invalid Content-Length \"" + value + "\": only decimal digits are allowed");
            }
            if (result > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw new IllegalArgumentException("Content-Length " + value + " is too large");
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }
}
