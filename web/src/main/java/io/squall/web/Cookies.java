package io.squall.web;

import io.squall.http.HttpUtil;
import java.util.Locale;
import java.util.Set;

/**
 * Formats {@code Set-Cookie} values as Tornado does through Python's {@code http.cookies}: the value quoted
 * when it is not made of legal characters, the attributes in alphabetical order of their key, and Tornado's
 * checks against injected attributes.
 */
final class Cookies {
    /** Python's {@code _LegalChars}: a value made only of these is sent unquoted. */
    private static final String LEGAL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~:";
    /** Python's {@code _UnescapedChars}: kept as they are inside quotes; others are octal-escaped. */
    private static final String UNESCAPED = LEGAL + " ()/<=>?@[]{}";
    /** Python's {@code Morsel._reserved}: names a cookie cannot have. */
    private static final Set<String> RESERVED = Set.of("expires", "path", "comment", "domain", "max-age", "secure",
            "httponly", "version", "samesite", "partitioned");

    /** The values RFC 6265bis allows for SameSite (any case). */
    private static final Set<String> SAME_SITE = Set.of("strict", "lax", "none");

    private Cookies() {}

    /**
     * The {@code Set-Cookie} value for cookie {@code name}.
     *
     * @throws IllegalArgumentException if the name or value holds spaces, control characters or characters
     *     beyond ISO-8859-1, if the name is not made of legal characters or is an attribute name, or if the
     *     domain, path or SameSite attribute holds spaces, control characters or {@code ;}, or SameSite is not
     *     Strict, Lax or None
     */
    static String format(String name, String value, CookieOptions options) {
        if (hasAny(name + value, "") || (name + value).chars().anyMatch(c -> c > 0xFF)) {
            throw new IllegalArgumentException("Invalid cookie " + name + ": " + value);
        }
        if (name.isEmpty() || !isLegal(name) || RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("Illegal cookie name " + name);
        }
        checkAttribute(name, "domain", options.domain());
        checkAttribute(name, "path", options.path());
        checkAttribute(name, "samesite", options.sameSite());
        if (options.sameSite() != null && !SAME_SITE.contains(options.sameSite().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("SameSite must be Strict, Lax or None, not " + options.sameSite()
                    + ", for cookie " + name);
        }
        StringBuilder out = new StringBuilder(name).append('=').append(quote(value));
        // Python sorts the attributes by key: domain, expires, httponly, max-age, partitioned, path, samesite, secure.
        appendIfSet(out, "Domain", options.domain());
        if (options.expires() != null) {
            out.append("; expires=").append(HttpUtil.formatDate(options.expires()));
        }
        if (options.httpOnly()) {
            out.append("; HttpOnly");
        }
        if (options.maxAge() != null) {
            out.append("; Max-Age=").append(options.maxAge().toSeconds());
        }
        if (options.partitioned()) {
            out.append("; Partitioned");
        }
        appendIfSet(out, "Path", options.path());
        appendIfSet(out, "SameSite", options.sameSite());
        if (options.secure()) {
            out.append("; Secure");
        }
        return out.toString();
    }

    private static void checkAttribute(String cookie, String attribute, String value) {
        if (value != null && hasAny(value, ";")) {
            throw new IllegalArgumentException("Invalid cookie attribute " + attribute + "=" + value + " for cookie " + cookie);
        }
    }

    /** Whether {@code s} has a character from 0x00 to 0x20 (Tornado's {@code [\x00-\x20]}) or one of {@code extra}. */
    private static boolean hasAny(String s, String extra) {
        return s.chars().anyMatch(c -> c <= 0x20 || extra.indexOf(c) >= 0);
    }

    private static boolean isLegal(String s) {
        return s.chars().allMatch(c -> LEGAL.indexOf(c) >= 0);
    }

    private static void appendIfSet(StringBuilder out, String attribute, String value) {
        if (value != null && !value.isEmpty()) {
            out.append("; ").append(attribute).append('=').append(value);
        }
    }

    /** Python's {@code http.cookies._quote}. */
    private static String quote(String value) {
        if (!value.isEmpty() && isLegal(value)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (UNESCAPED.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('\\').append(String.format("%03o", (int) c));
            }
        }
        return out.append('"').toString();
    }
}
