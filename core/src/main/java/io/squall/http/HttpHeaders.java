package io.squall.http;

import io.squall.http.internal.TrustedHeaders;
import io.squall.http.syntax.HttpSyntax;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * HTTP header fields: a case-insensitive multimap that keeps every (name, value) pair in arrival order
 * (Tornado's {@code HTTPHeaders}).
 *
 * <p>Names are compared ignoring ASCII case, but each pair keeps the name exactly as it was added, so a
 * writer sends it back unchanged. Values are ISO-8859-1 strings: header bytes are Latin-1 (RFC 9110
 * §5.5), so every byte maps to one {@code char} and obs-text bytes 0x80–0xFF survive a round trip.
 *
 * <p>{@link #add} and {@link #set} validate what they store (see {@link #validateName} and
 * {@link #validateValue}), so headers built by application code cannot smuggle a CR or LF onto the wire.
 *
 * <p>Not thread-safe, like the other loop-owned objects of Squall.
 */
public final class HttpHeaders {
    static {
        // Squall's parser and server add fields they have already checked without checking them twice.
        TrustedHeaders.grant(new TrustedHeaders.Access() {
            @Override
            public void add(HttpHeaders headers, String name, String value) {
                headers.addTrusted(name, value);
            }

            @Override
            public void set(HttpHeaders headers, String name, String value) {
                headers.setTrusted(name, value);
            }
        });
    }

    private static final String[] NONE = {};
    /** Room for the fields of a usual request head, or of a response with what the server adds. */
    private static final int USUAL_FIELDS = 8;

    /**
     * Every pair in arrival order, flat: the name of pair {@code i} at {@code 2 * i}, its value next to
     * it; {@code size} pairs are in use. Lookups scan it, comparing names ignoring ASCII case: for the
     * dozen fields of a usual message that is cheaper than hashing a lower-cased copy of every name, and
     * a head is bounded by the server's maximum header size. Flat, a field costs its two strings and
     * nothing else (no entry object), which matters for what a long-lived request keeps (a WebSocket's).
     */
    private String[] fields;
    private int size;

    /** Creates an empty header collection. */
    public HttpHeaders() {
        fields = NONE;
    }

    private HttpHeaders(String[] fields, int size) {
        this.fields = fields;
        this.size = size;
    }

    /**
     * Adds a pair after all existing ones, keeping earlier values of the same name.
     *
     * @throws IllegalArgumentException if the name is not a token or the value contains CR, LF or another
     *     control character (see {@link #validateValue})
     */
    public HttpHeaders add(String name, String value) {
        validateName(name);
        validateValue(value);
        addTrusted(name, value);
        return this;
    }

    /**
     * Replaces every value of {@code name} by {@code value}. The new pair takes the place of the first old
     * one (as a Python dict assignment does in Tornado's {@code HTTPHeaders}), or goes after all others if
     * there was none.
     *
     * @throws IllegalArgumentException like {@link #add}
     */
    public HttpHeaders set(String name, String value) {
        validateName(name);
        validateValue(value);
        setTrusted(name, value);
        return this;
    }

    private void setTrusted(String name, String value) {
        int first = indexOf(name, 0);
        if (first < 0) {
            addTrusted(name, value);
            return;
        }
        fields[2 * first] = name;
        fields[2 * first + 1] = value;
        removeFrom(name, first + 1);
    }

    private void addTrusted(String name, String value) {
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, Math.max(2 * USUAL_FIELDS, 2 * fields.length));
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    /** The index of the first pair named {@code name} at or after {@code from}, or -1. */
    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            if (HttpSyntax.equalsIgnoreAsciiCase(fields[2 * i], name)) {
                return i;
            }
        }
        return -1;
    }

    /** The first value of {@code name}, or {@code null} if there is none. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : fields[2 * i + 1];
    }

    /** Every value of {@code name} in arrival order; an empty list if there is none. Unmodifiable. */
    public List<String> getAll(String name) {
        List<String> result = null;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (result == null) {
                result = new ArrayList<>(1);
            }
            result.add(fields[2 * i + 1]);
        }
        return result == null ? List.of() : Collections.unmodifiableList(result);
    }

    /**
     * Every value of {@code name} joined with {@code ","} (Tornado's {@code headers[name]}), or {@code null}
     * if there is none. RFC 9110 §5.3 makes this equivalent to the separate lines for list-based fields.
     */
    public String getJoined(String name) {
        String first = null;
        StringBuilder joined = null;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (first == null) {
                first = fields[2 * i + 1];
            } else {
                if (joined == null) {
                    joined = new StringBuilder(first);
                }
                joined.append(',').append(fields[2 * i + 1]);
            }
        }
        return joined != null ? joined.toString() : first;
    }

    /**
     * Whether the comma-separated list in the values of {@code name} contains {@code token}, ignoring ASCII
     * case and the optional whitespace around elements: {@code containsToken("Connection", "close")} is true
     * for {@code Connection: keep-alive, Close}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (HttpSyntax.listContainsToken(fields[2 * i + 1], token)) {
                return true;
            }
        }
        return false;
    }

    /** Whether there is at least one value of {@code name}. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Removes every value of {@code name}.
     *
     * @return whether there was any
     */
    public boolean remove(String name) {
        return removeFrom(name, 0);
    }

    /** Removes the pairs named {@code name} at or after index {@code from}; returns whether there was any. */
    private boolean removeFrom(String name, int from) {
        int kept = from;
        for (int i = from; i < size; i++) {
            if (!HttpSyntax.equalsIgnoreAsciiCase(fields[2 * i], name)) {
                fields[2 * kept] = fields[2 * i];
                fields[2 * kept + 1] = fields[2 * i + 1];
                kept++;
            }
        }
        if (kept == size) {
            return false;
        }
        Arrays.fill(fields, 2 * kept, 2 * size, null);
        size = kept;
        return true;
    }

    /** The distinct names, in order of first arrival, each spelled as in its first pair. Unmodifiable. */
    public List<String> names() {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            byKey.putIfAbsent(HttpSyntax.asciiLowerCase(fields[2 * i]), fields[2 * i]);
        }
        return List.copyOf(byKey.values());
    }

    /** Calls {@code action} with every (name, value) pair in arrival order. */
    public void forEach(BiConsumer<? super String, ? super String> action) {
        Objects.requireNonNull(action, "action");
        for (int i = 0; i < size; i++) {
            action.accept(fields[2 * i], fields[2 * i + 1]);
        }
    }

    /** Every (name, value) pair in arrival order: an unmodifiable view. */
    public List<Map.Entry<String, String>> entries() {
        return new AbstractList<>() {
            @Override
            public Map.Entry<String, String> get(int index) {
                return Map.entry(name(index), value(index));
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * The name of the pair at {@code index} in arrival order (from 0 to {@link #size()} - 1): with
     * {@link #value(int)}, a walk over the fields that allocates nothing.
     *
     * @throws IndexOutOfBoundsException if there is no such pair
     */
    public String name(int index) {
        Objects.checkIndex(index, size);
        return fields[2 * index];
    }

    /**
     * The value of the pair at {@code index} in arrival order.
     *
     * @throws IndexOutOfBoundsException if there is no such pair
     */
    public String value(int index) {
        Objects.checkIndex(index, size);
        return fields[2 * index + 1];
    }

    /** The number of (name, value) pairs. */
    public int size() {
        return size;
    }

    /** Whether there is no pair at all. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** A copy holding the same pairs, which can be changed independently of this one. */
    public HttpHeaders copy() {
        // room for what a response usually adds; the strings are immutable: sharing them is safe
        return new HttpHeaders(Arrays.copyOf(fields, 2 * (size + 4)), size);
    }

    /**
     * Checks that {@code name} is a non-empty token (RFC 9110 §5.1: letters, digits and
     * {@code !#$%&'*+-.^_`|~}), as every header name must be.
     *
     * @throws IllegalArgumentException naming the offending character otherwise
     */
    public static void validateName(String name) {
        Objects.requireNonNull(name, "header name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!HttpSyntax.isTchar(c)) {
                throw new IllegalArgumentException(
                        "invalid character " + HttpSyntax.describe(c) + " in header name " + quote(name));
            }
        }
    }

    /**
     * Checks that {@code value} can be written as a header value: ISO-8859-1 characters other than control
     * characters (CR, LF, NUL, the rest of 0x00–0x1F and DEL), horizontal tab excepted (RFC 9110 §5.5).
     *
     * @throws IllegalArgumentException naming the offending character otherwise
     */
    public static void validateValue(String value) {
        validateFieldText(value, "a header value");
    }

    /** {@link #validateValue}'s check, for any text written in a head ({@code what}: "a reason phrase"). */
    static void validateFieldText(String text, String what) {
        Objects.requireNonNull(text, what);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 ? c != '\t' : c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException(c > 0xFF
                        ? "character " + HttpSyntax.describe(c) + " at index " + i + " of " + what + " is not ISO-8859-1"
                        : "control character " + HttpSyntax.describe(c) + " at index " + i + " of " + what);
            }
        }
    }

    private static String quote(String s) {
        return '"' + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + '"';
    }

    /** The pairs as {@code {Name: value, ...}}, in arrival order. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(fields[2 * i]).append(": ").append(fields[2 * i + 1]);
        }
        return sb.append('}').toString();
    }
}
