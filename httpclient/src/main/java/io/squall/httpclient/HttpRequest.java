package io.squall.httpclient;

import io.squall.http.HttpHeaders;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * One HTTP request for {@link AsyncHttpClient#fetch(HttpRequest)}: immutable, reusable, built with
 * {@link #builder(String)} (Tornado's {@code HTTPRequest}).
 *
 * <pre>{@code
 * HttpRequest request = HttpRequest.builder("https://api.example.com/items")
 *         .method("POST")
 *         .header("Content-Type", "application/json")
 *         .body("{\"name\": \"squall\"}")
 *         .requestTimeout(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * <p>Defaults are Tornado's: 20 s connect and request timeouts ({@link Duration#ZERO} means none), redirects
 * followed up to 5 hops, responses decompressed, certificates validated. The request timeout bounds the
 * whole fetch from the call to {@code fetch}, time in the client's queue included; the queue wait alone is
 * bounded by the lesser of the two timeouts.
 *
 * <p>Checks made by {@link Builder#build()}: the URL is absolute {@code http} or {@code https} with a
 * host; the method is a token; POST, PUT and PATCH have a body and other methods have none, unless
 * {@link Builder#allowNonstandardMethods} (which also allows methods other than GET, HEAD, POST, PUT,
 * DELETE, PATCH and OPTIONS); header names are tokens and values carry no CR, LF or other control
 * character, so nothing can be smuggled into the request.
 */
public final class HttpRequest {
    /** The default connect timeout: 20 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** The default request timeout: 20 s. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** The default redirect limit: 5. */
    public static final int DEFAULT_MAX_REDIRECTS = 5;

    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    private final URI uri;
    private final String method;
    private final HttpHeaders headers;
    private final byte[] body;
    private final BodyProducer bodyProducer;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final boolean followRedirects;
    private final int maxRedirects;
    private final boolean decompressResponse;
    private final String username;
    private final String password;
    private final String userAgent;
    private final Instant ifModifiedSince;
    private final boolean validateCertificates;
    private final SSLContext sslContext;
    private final boolean allowIpv6;
    private final boolean expect100Continue;
    private final Consumer<String> headerCallback;
    private final BodyChunkHandler streamingCallback;
    private final ProxySettings proxy;
    private final boolean allowNonstandardMethods;

    private HttpRequest(Builder b) {
        this.uri = b.uri;
        this.method = b.method;
        this.headers = b.headers.copy();
        this.body = b.body;
        this.bodyProducer = b.bodyProducer;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.followRedirects = b.followRedirects;
        this.maxRedirects = b.maxRedirects;
        this.decompressResponse = b.decompressResponse;
        this.username = b.username;
        this.password = b.password;
        this.userAgent = b.userAgent;
        this.ifModifiedSince = b.ifModifiedSince;
        this.validateCertificates = b.validateCertificates;
        this.sslContext = b.sslContext;
        this.allowIpv6 = b.allowIpv6;
        this.expect100Continue = b.expect100Continue;
        this.headerCallback = b.headerCallback;
        this.streamingCallback = b.streamingCallback;
        this.proxy = b.proxy;
        this.allowNonstandardMethods = b.allowNonstandardMethods;
    }

    /**
     * A builder for a GET of {@code uri}.
     *
     * @throws IllegalArgumentException if {@code uri} is not an absolute http or https URL with a host
     */
    public static Builder builder(String uri) {
        return new Builder(parseUri(uri));
    }

    /** A builder for a GET of {@code uri}; see {@link #builder(String)}. */
    public static Builder builder(URI uri) {
        return new Builder(checkUri(uri));
    }

    /** A GET of {@code uri} with every default. */
    public static HttpRequest get(String uri) {
        return builder(uri).build();
    }

    /** A builder holding this request's settings, to derive another request from it. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The URL, credentials included if it had them. */
    public URI uri() {
        return uri;
    }

    /** The method, such as {@code GET}. */
    public String method() {
        return method;
    }

    /** A copy of the headers the caller set (the client adds Host, User-Agent and others when sending). */
    public HttpHeaders headers() {
        return headers.copy();
    }

    /** The body, or null if there is none or it comes from a {@link #bodyProducer()}. Do not change it. */
    public byte[] body() {
        return body;
    }

    /** The body producer, or null. */
    public BodyProducer bodyProducer() {
        return bodyProducer;
    }

    /** The connect timeout (resolve, connect, proxy tunnel, TLS); zero means none. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The request timeout, covering the whole fetch; zero means none. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Whether 301, 302, 303, 307 and 308 responses with a Location are followed. */
    public boolean followRedirects() {
        return followRedirects;
    }

    /** How many redirects are followed at most. */
    public int maxRedirects() {
        return maxRedirects;
    }

    /** Whether the client asks for gzip and decompresses gzip or deflate responses. */
    public boolean decompressResponse() {
        return decompressResponse;
    }

    /**
     * The user for Basic authentication set with {@link Builder#basicAuth}, or null; without one, the
     * credentials of a {@code user:pass@} URL are sent.
     */
    public String username() {
        return username;
    }

    /** The password for Basic authentication, or null. */
    public String password() {
        return password;
    }

    /** The User-Agent to send, or null for the client's default. */
    public String userAgent() {
        return userAgent;
    }

    /** The If-Modified-Since instant, or null. */
    public Instant ifModifiedSince() {
        return ifModifiedSince;
    }

    /** Whether the server's certificate and host name are checked (https). */
    public boolean validateCertificates() {
        return validateCertificates;
    }

    /** The TLS context (custom trust, client certificate), or null for the JDK's default. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** Whether IPv6 addresses may be used. */
    public boolean allowIpv6() {
        return allowIpv6;
    }

    /** Whether the body waits for a {@code 100 Continue}. */
    public boolean expect100Continue() {
        return expect100Continue;
    }

    /** The header callback, or null. */
    public Consumer<String> headerCallback() {
        return headerCallback;
    }

    /** The streaming callback, or null. */
    public BodyChunkHandler streamingCallback() {
        return streamingCallback;
    }

    /** The proxy for this request, or null for the client's default. */
    public ProxySettings proxy() {
        return proxy;
    }

    /** Whether body and method checks are off. */
    public boolean allowNonstandardMethods() {
        return allowNonstandardMethods;
    }

    /** Whether the request has a body (bytes or a producer). */
    boolean hasBody() {
        return body != null || bodyProducer != null;
    }

    /** The caller's headers without copying, for the client's own use. */
    HttpHeaders headersView() {
        return headers;
    }

    /** The method and URL, without credentials. */
    @Override
    public String toString() {
        return method + " " + withoutUserInfo(uri);
    }

    static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment()));
    }

    private static URI parseUri(String uri) {
        Objects.requireNonNull(uri, "uri");
        try {
            return checkUri(new URI(uri));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URL " + uri + ": " + e.getMessage(), e);
        }
    }

    private static URI checkUri(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("not an http or https URL: " + uri);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("URL without a host: " + uri);
        }
        return uri;
    }

    /** Builds an {@link HttpRequest}; not thread-safe. */
    public static final class Builder {
        private URI uri;
        private String method = "GET";
        private HttpHeaders headers = new HttpHeaders();
        private byte[] body;
        private BodyProducer bodyProducer;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private boolean followRedirects = true;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private boolean decompressResponse = true;
        private String username;
        private String password;
        private String userAgent;
        private Instant ifModifiedSince;
        private boolean validateCertificates = true;
        private SSLContext sslContext;
        private boolean allowIpv6 = true;
        private boolean expect100Continue;
        private Consumer<String> headerCallback;
        private BodyChunkHandler streamingCallback;
        private ProxySettings proxy;
        private boolean allowNonstandardMethods;

        private Builder(URI uri) {
            this.uri = uri;
        }

        private Builder(HttpRequest r) {
            this.uri = r.uri;
            this.method = r.method;
            this.headers = r.headers.copy();
            this.body = r.body;
            this.bodyProducer = r.bodyProducer;
            this.connectTimeout = r.connectTimeout;
            this.requestTimeout = r.requestTimeout;
            this.followRedirects = r.followRedirects;
            this.maxRedirects = r.maxRedirects;
            this.decompressResponse = r.decompressResponse;
            this.username = r.username;
            this.password = r.password;
            this.userAgent = r.userAgent;
            this.ifModifiedSince = r.ifModifiedSince;
            this.validateCertificates = r.validateCertificates;
            this.sslContext = r.sslContext;
            this.allowIpv6 = r.allowIpv6;
            this.expect100Continue = r.expect100Continue;
            this.headerCallback = r.headerCallback;
            this.streamingCallback = r.streamingCallback;
            this.proxy = r.proxy;
            this.allowNonstandardMethods = r.allowNonstandardMethods;
        }

        /** Sets the URL; see {@link HttpRequest#builder(String)}. */
        public Builder uri(String uri) {
            this.uri = parseUri(uri);
            return this;
        }

        /** Sets the URL; see {@link HttpRequest#builder(String)}. */
        public Builder uri(URI uri) {
            this.uri = checkUri(uri);
            return this;
        }

        /** Sets the method (a token, case-sensitive; {@code GET} by default). */
        public Builder method(String method) {
            Objects.requireNonNull(method, "method");
            HttpHeaders.validateName(method); // a method is a token, like a header name
            this.method = method;
            return this;
        }

        /**
         * Adds a header after any of the same name.
         *
         * @throws IllegalArgumentException if the name is not a token or the value has CR, LF or another
         *     control character
         */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /** Replaces every header of {@code name} by this one; see {@link #header}. */
        public Builder setHeader(String name, String value) {
            headers.set(name, value);
            return this;
        }

        /** Removes every header of {@code name}. */
        public Builder removeHeader(String name) {
            headers.remove(name);
            return this;
        }

        /** Replaces all headers by a copy of {@code headers}. */
        public Builder headers(HttpHeaders headers) {
            this.headers = headers.copy();
            return this;
        }

        /** Sets the body (not copied: do not change the array afterwards); null for none. */
        public Builder body(byte[] body) {
            this.body = body;
            this.bodyProducer = null;
            return this;
        }

        /** Sets the body to {@code text} in UTF-8. */
        public Builder body(String text) {
            return body(text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        }

        /** Sets a producer that writes the body while the request is sent; null for none. */
        public Builder bodyProducer(BodyProducer producer) {
            this.bodyProducer = producer;
            this.body = null;
            return this;
        }

        /** Sets the connect timeout; zero means none. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Durations.requireNonNegative(timeout, "connectTimeout");
            return this;
        }

        /** Sets the request timeout, which covers the whole fetch; zero means none. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Durations.requireNonNegative(timeout, "requestTimeout");
            return this;
        }

        /** Whether to follow redirects (true by default). */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /** How many redirects to follow at most (5 by default). */
        public Builder maxRedirects(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxRedirects must not be negative: " + max);
            }
            this.maxRedirects = max;
            return this;
        }

        /** Whether to ask for gzip and decompress gzip and deflate responses (true by default). */
        public Builder decompressResponse(boolean decompress) {
            this.decompressResponse = decompress;
            return this;
        }

        /** Sends Basic credentials (overriding any in the URL). */
        public Builder basicAuth(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = password;
            return this;
        }

        /** Forgets the Basic credentials (for a redirect to another origin). */
        Builder clearCredentials() {
            this.username = null;
            this.password = null;
            return this;
        }

        /** Sets the User-Agent (default {@code Squall/<version>}). */
        public Builder userAgent(String userAgent) {
            HttpHeaders.validateValue(userAgent);
            this.userAgent = userAgent;
            return this;
        }

        /** Sends {@code If-Modified-Since} with this instant; null for none. */
        public Builder ifModifiedSince(Instant instant) {
            this.ifModifiedSince = instant;
            return this;
        }

        /**
         * Whether to check the server's certificate chain and host name (true by default). Turning it off
         * accepts any certificate: for tests against self-signed servers only. Ignored when an
         * {@link #sslContext} is set: that context's own trust managers decide.
         */
        public Builder validateCertificates(boolean validate) {
            this.validateCertificates = validate;
            return this;
        }

        /**
         * The TLS context to connect with: custom trusted certificates, a client certificate, protocol
         * limits. Null (the default) uses the JDK's default context.
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** Whether IPv6 addresses may be used (true by default); false connects over IPv4 only. */
        public Builder allowIpv6(boolean allow) {
            this.allowIpv6 = allow;
            return this;
        }

        /** Sends {@code Expect: 100-continue} and the body only after the server's {@code 100 Continue}. */
        public Builder expect100Continue(boolean expect) {
            this.expect100Continue = expect;
            return this;
        }

        /**
         * Receives the final response's head as it arrives: the status line, each {@code "Name: value\r\n"},
         * then {@code "\r\n"}, all before any body chunk.
         */
        public Builder headerCallback(Consumer<String> callback) {
            this.headerCallback = callback;
            return this;
        }

        /** Receives the body as it arrives instead of collecting it; see {@link BodyChunkHandler}. */
        public Builder streamingCallback(BodyChunkHandler callback) {
            this.streamingCallback = callback;
            return this;
        }

        /** Sends this request through {@code proxy} (null: the client's default proxy, if any). */
        public Builder proxy(ProxySettings proxy) {
            this.proxy = proxy;
            return this;
        }

        /** Turns off the method and body checks (see {@link HttpRequest}). */
        public Builder allowNonstandardMethods(boolean allow) {
            this.allowNonstandardMethods = allow;
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalArgumentException if the method and body do not go together, or the method is
         *     unknown, without {@link #allowNonstandardMethods}
         */
        public HttpRequest build() {
            if (!allowNonstandardMethods) {
                if (!STANDARD_METHODS.contains(method)) {
                    throw new IllegalArgumentException("unknown method " + method
                            + " (use allowNonstandardMethods(true) to send it anyway)");
                }
                boolean bodyExpected = BODY_METHODS.contains(method);
                boolean bodyPresent = body != null || bodyProducer != null;
                if (bodyExpected && !bodyPresent) {
                    throw new IllegalArgumentException("body must not be null for method " + method
                            + " (use an empty body, or allowNonstandardMethods(true))");
                }
                if (!bodyExpected && bodyPresent) {
                    throw new IllegalArgumentException("body must be null for method " + method
                            + " (or use allowNonstandardMethods(true))");
                }
            }
            return new HttpRequest(this);
        }
    }
}
