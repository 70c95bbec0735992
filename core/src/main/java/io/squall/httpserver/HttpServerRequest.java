package io.squall.httpserver;

import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpUtil;
import io.squall.http.RequestStartLine;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as a web application sees it (Tornado's {@code HTTPServerRequest}): the start line,
 * headers, body, client address and parsed arguments. The body is set by whoever reads it (empty
 * until then). Arguments are parsed on first use: query arguments from the URI, body arguments from an
 * {@code application/x-www-form-urlencoded} body; {@link #arguments()} merges both, query first.
 */
public final class HttpServerRequest {
    private static final byte[] NO_BODY = {};

    private final HttpConnection connection;
    private final RequestStartLine startLine;
    private final HttpHeaders headers;
    private final String path;
    private final String query;
    /** The authority of an absolute-form target (RFC 9112 §3.2.2), lower-cased; null for the origin form. */
    private final String targetAuthority;
    private final String remoteIp;
    private final String protocol;
    private final long startNanos = System.nanoTime();
    private byte[] body = NO_BODY;
    private Map<String, List<String>> queryArguments;
    private Map<String, List<String>> bodyArguments;
    private Map<String, String> cookies;

    /** A request read on {@code connection}, before its body. */
    public HttpServerRequest(HttpConnection connection, RequestStartLine startLine, HttpHeaders headers) {
        this.connection = connection;
        this.startLine = startLine;
        this.headers = headers;
        String target = startLine.target();
        int authorityStart = absoluteFormAuthorityStart(target);
        if (authorityStart > 0) { // scheme://authority[/path][?query]: route on the path, host from here
            int authorityEnd = authorityStart;
            while (authorityEnd < target.length() && "/?#".indexOf(target.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
            String authority = target.substring(authorityStart, authorityEnd);
            this.targetAuthority = authority.substring(authority.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            target = target.startsWith("/", authorityEnd) ? target.substring(authorityEnd)
                    : "/" + target.substring(authorityEnd);
        } else {
            this.targetAuthority = null;
        }
        int q = target.indexOf('?');
        this.path = q < 0 ? target : target.substring(0, q);
        this.query = q < 0 ? "" : target.substring(q + 1);
        this.remoteIp = connection == null ? null : connection.remoteIp();
        this.protocol = connection == null ? "http" : connection.protocol();
    }

    /** Where the authority of an {@code http://} or {@code https://} target starts; 0 for other targets. */
    private static int absoluteFormAuthorityStart(String target) {
        for (String scheme : new String[] {"http://", "https://"}) {
            if (target.regionMatches(true, 0, scheme, 0, scheme.length())) {
                return scheme.length();
            }
        }
        return 0;
    }

    /** The method, e.g. {@code GET}. */
    public String method() {
        return startLine.method();
    }

    /**
     * The request target as sent, e.g. {@code /search?q=x}, or {@code http://host/search?q=x} in the
     * absolute form (whose {@link #path()} is {@code /search}).
     */
    public String uri() {
        return startLine.target();
    }

    /** The path part of the target (still percent-encoded); {@code /} for an absolute-form target without one. */
    public String path() {
        return path;
    }

    /** The query string, without {@code ?}; empty if none. */
    public String query() {
        return query;
    }

    /** {@code HTTP/1.0} or {@code HTTP/1.1}. */
    public String version() {
        return startLine.version();
    }

    /** The request headers, in arrival order. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The body read so far (all of it once the request is finished). */
    public byte[] body() {
        return body;
    }

    /** Sets the body; called by the code that reads it. */
    public void setBody(byte[] body) {
        this.body = body;
        this.bodyArguments = null;
    }

    /** The client's IP address (see {@link HttpConnection#remoteIp()}). */
    public String remoteIp() {
        return remoteIp;
    }

    /** {@code http} or {@code https}. */
    public String protocol() {
        return protocol;
    }

    /**
     * The host the request is for, lower-cased: the authority of an absolute-form target (without user
     * information; the {@code Host} header is then ignored, RFC 9112 §3.2.2), else the {@code Host} header;
     * {@code 127.0.0.1} if neither.
     */
    public String host() {
        if (targetAuthority != null && !targetAuthority.isEmpty()) {
            return targetAuthority;
        }
        String host = headers.get("Host");
        return host == null || host.isEmpty() ? "127.0.0.1" : host.toLowerCase(Locale.ROOT);
    }

    /** {@link #host()} without the port. */
    public String hostName() {
        return HttpUtil.splitHostAndPort(host()).host();
    }

    /** {@code protocol://host/path?query}. */
    public String fullUrl() {
        return protocol + "://" + host() + path + (query.isEmpty() ? "" : "?" + query);
    }

    /** How long ago the request started (its head was read). */
    public Duration requestTime() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The connection the request arrived on (null for a request built without one). */
    public HttpConnection connection() {
        return connection;
    }

    /** Arguments from the query string, in order; values of a repeated name in order. */
    public Map<String, List<String>> queryArguments() {
        if (queryArguments == null) {
            queryArguments = Collections.unmodifiableMap(HttpUtil.parseQueryString(query));
        }
        return queryArguments;
    }

    /** Arguments from a form-urlencoded body (empty for other content types). */
    public Map<String, List<String>> bodyArguments() {
        if (bodyArguments == null) {
            bodyArguments = Collections.unmodifiableMap(HttpUtil.parseBodyArguments(headers.get("Content-Type"), body, false));
        }
        return bodyArguments;
    }

    /** Query and body arguments merged (query values first). */
    public Map<String, List<String>> arguments() {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        queryArguments().forEach((k, v) -> merged.put(k, List.copyOf(v)));
        bodyArguments().forEach((k, v) -> merged.merge(k, v, (a, b) -> {
            List<String> both = new java.util.ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        return Collections.unmodifiableMap(merged);
    }

    /**
     * The cookies of the {@code Cookie} header(s), by name (the first of a repeated name). A value in double
     * quotes is unquoted as Tornado's {@code parse_cookie} does (Python's {@code http.cookies} rules): the
     * quotes go, {@code \"} and {@code \\} become {@code "} and {@code \}, and an octal escape such as
     * {@code \073} becomes its character, so a value set with any legal characters comes back as it was set;
     * a part with neither name nor value (such as {@code ""}) is skipped.
     * Parsing takes time linear in the headers' length (CVE-2024-7592 was a quadratic unquoting).
     */
    public Map<String, String> cookies() {
        if (cookies == null) {
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String header : headers.getAll("Cookie")) {
                for (String part : header.split(";")) {
                    int eq = part.indexOf('=');
                    String name = (eq < 0 ? "" : part.substring(0, eq)).trim();
                    String value = unquoteCookieValue((eq < 0 ? part : part.substring(eq + 1)).trim());
                    if (!name.isEmpty() || !value.isEmpty()) {
                        parsed.putIfAbsent(name, value);
                    }
                }
            }
            cookies = Collections.unmodifiableMap(parsed);
        }
        return cookies;
    }

    /**
     * {@code value} without its double quotes and backslash escapes if it is quoted (Python's
     * {@code http.cookies._unquote}), else as it is; one pass over the value.
     */
    static String unquoteCookieValue(String value) {
        int end = value.length() - 1; // the closing quote
        if (end < 1 || value.charAt(0) != '"' || value.charAt(end) != '"') {
            return value;
        }
        StringBuilder out = new StringBuilder(end - 1);
        for (int i = 1; i < end; i++) {
            char c = value.charAt(i);
            if (c != '\\' || i + 1 == end) {
                out.append(c);
            } else if (i + 3 < end && isOctalEscape(value.charAt(i + 1), value.charAt(i + 2), value.charAt(i + 3))) {
                out.append((char) ((value.charAt(i + 1) - '0') << 6 | (value.charAt(i + 2) - '0') << 3 | value.charAt(i + 3) - '0'));
                i += 3;
            } else {
                out.append(value.charAt(++i));
            }
        }
        return out.toString();
    }

    /** Whether {@code a b c} are the digits of an octal escape, {@code 000} to {@code 377}. */
    private static boolean isOctalEscape(char a, char b, char c) {
        return a >= '0' && a <= '3' && b >= '0' && b <= '7' && c >= '0' && c <= '7';
    }

    @Override
    public String toString() {
        return "HttpServerRequest[" + method() + " " + uri() + " " + version() + " from " + remoteIp + "]";
    }
}
