package io.squall.http.internal;

import io.squall.http.HttpHeaders;

/**
 * Adds header fields without validating them again, for Squall's own HTTP code only: the fields the
 * HTTP/1 parser has already checked byte by byte, and the fixed fields the server writes itself
 * ({@code Date}, {@code Connection}, {@code Transfer-Encoding}). Applications always go through
 * {@link HttpHeaders#add} and {@link HttpHeaders#set}, which validate; this package is not exported.
 *
 * <p>{@link HttpHeaders} grants the access from its static initializer (the JDK's "shared secrets"
 * pattern), which has run before any instance exists, so it is in place whenever a caller holds headers.
 */
public final class TrustedHeaders {
    /** The two operations {@link HttpHeaders} grants. */
    public interface Access {
        /** {@link HttpHeaders#add} without the checks. */
        void add(HttpHeaders headers, String name, String value);

        /** {@link HttpHeaders#set} without the checks. */
        void set(HttpHeaders headers, String name, String value);
    }

    private static Access access;

    private TrustedHeaders() {}

    /**
     * Installs the access; called once, by {@link HttpHeaders}' static initializer.
     *
     * @throws IllegalStateException on a second call
     */
    public static void grant(Access granted) {
        if (access != null) {
            throw new IllegalStateException("trusted header access already granted");
        }
        access = granted;
    }

    /** Adds a field whose name is a token and whose value is valid field text, as checked by the caller. */
    public static void add(HttpHeaders headers, String name, String value) {
        access.add(headers, name, value);
    }

    /** Replaces every value of a field, as {@link #add} trusting the caller's checks. */
    public static void set(HttpHeaders headers, String name, String value) {
        access.set(headers, name, value);
    }
}
