package io.squall.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol) for a whole application, as a
 * {@link Filter}:
 *
 * <pre>{@code
 * Application.builder()
 *         .filter(CorsFilter.builder()
 *                 .allowedOrigins("https://app.example.com")      // or a predicate, or "*"
 *                 .allowedMethods("GET", "POST", "DELETE")
 *                 .allowedHeaders("Content-Type", "Authorization")
 *                 .allowCredentials(true)
 *                 .maxAge(Duration.ofHours(1))
 *                 .build())
 * }</pre>
 *
 * <ul>
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is
 *       answered here, without reaching the handler: 204 with {@code Access-Control-Allow-Origin},
 *       {@code -Methods}, {@code -Headers}, {@code -Credentials} and {@code -Max-Age} if the origin, the method
 *       and every requested header are allowed; 403 without CORS headers otherwise.</li>
 *   <li>Any other request from an allowed origin gets {@code Access-Control-Allow-Origin} (the origin, or
 *       {@code *} for any origin without credentials), {@code Access-Control-Allow-Credentials} and
 *       {@code Access-Control-Expose-Headers}, error responses included; from another origin, no CORS
 *       headers (the browser then hides the response from the page).</li>
 *   <li>Every response gets {@code Vary: Origin}, since what it carries depends on the origin.</li>
 * </ul>
 *
 * By default no origin is allowed, methods are GET, HEAD and POST, no request header beyond the
 * CORS-safelisted ones, no credentials, no max age.
 */
public final class CorsFilter implements Filter {
    private final Predicate<String> allowedOrigins;
    private final boolean anyOrigin;
    private final List<String> allowedMethods;
    private final Set<String> allowedHeaders;
    private final boolean anyHeader;
    private final String exposedHeaders;
    private final boolean allowCredentials;
    private final Duration maxAge;

    private CorsFilter(Builder b) {
        this.allowedOrigins = b.allowedOrigins;
        this.anyOrigin = b.anyOrigin;
        this.allowedMethods = List.copyOf(b.allowedMethods);
        this.anyHeader = b.allowedHeaders.contains("*");
        this.allowedHeaders = Set.copyOf(b.allowedHeaders);
        this.exposedHeaders = String.join(", ", b.exposedHeaders);
        this.allowCredentials = b.allowCredentials;
        this.maxAge = b.maxAge;
    }

    /** Starts a filter that allows no origin. */
    public static Builder builder() {
        return new Builder();
    }

    /** Answers preflights. */
    @Override
    public void before(RequestHandler handler) {
        if (!isPreflight(handler)) {
            return;
        }
        String origin = handler.request().headers().get("Origin");
        String method = handler.request().headers().get("Access-Control-Request-Method");
        handler.addVary("Access-Control-Request-Method");
        handler.addVary("Access-Control-Request-Headers");
        List<String> requestedHeaders = requestedHeaders(handler);
        if (!allowedOrigins.test(origin) || !allowedMethods.contains(method)
                || !anyHeader && !allowedHeaders.containsAll(requestedHeaders)) {
            handler.setStatus(403);
            handler.finish();
            return;
        }
        handler.setStatus(204);
        handler.setHeader("Access-Control-Allow-Methods", String.join(", ", allowedMethods));
        if (!requestedHeaders.isEmpty()) {
            handler.setHeader("Access-Control-Allow-Headers", String.join(", ", requestedHeaders));
        }
        if (maxAge != null) {
            handler.setHeader("Access-Control-Max-Age", Long.toString(maxAge.toSeconds()));
        }
        handler.finish();
    }

    /** Adds {@code Vary: Origin}, and the CORS headers for an allowed origin. */
    @Override
    public void beforeResponse(RequestHandler handler) {
        handler.addVary("Origin");
        String origin = handler.request().headers().get("Origin");
        boolean refusedPreflight = isPreflight(handler) && !isPreflightAnswer(handler);
        if (origin == null || refusedPreflight || !allowedOrigins.test(origin)) {
            return;
        }
        handler.setHeader("Access-Control-Allow-Origin", anyOrigin && !allowCredentials ? "*" : origin);
        if (allowCredentials) {
            handler.setHeader("Access-Control-Allow-Credentials", "true");
        }
        if (!exposedHeaders.isEmpty() && !isPreflightAnswer(handler)) {
            handler.setHeader("Access-Control-Expose-Headers", exposedHeaders);
        }
    }

    /** Whether the request is a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. */
    private static boolean isPreflight(RequestHandler handler) {
        return "OPTIONS".equals(handler.request().method()) && handler.request().headers().contains("Origin")
                && handler.request().headers().contains("Access-Control-Request-Method");
    }

    /** Whether the response is the answer to an accepted preflight. */
    private static boolean isPreflightAnswer(RequestHandler handler) {
        return handler.getResponseHeader("Access-Control-Allow-Methods") != null;
    }

    /** The header names of {@code Access-Control-Request-Headers}, lower-cased. */
    private static List<String> requestedHeaders(RequestHandler handler) {
        String requested = handler.request().headers().getJoined("Access-Control-Request-Headers");
        List<String> names = new ArrayList<>();
        if (requested != null) {
            for (String name : requested.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    /** Builder of a {@link CorsFilter}. */
    public static final class Builder {
        private Predicate<String> allowedOrigins = origin -> false;
        private boolean anyOrigin;
        private final Set<String> allowedMethods = new LinkedHashSet<>(List.of("GET", "HEAD", "POST"));
        private final Set<String> allowedHeaders = new LinkedHashSet<>();
        private final Set<String> exposedHeaders = new LinkedHashSet<>();
        private boolean allowCredentials;
        private Duration maxAge;

        private Builder() {}

        /**
         * The origins allowed, compared exactly ({@code https://app.example.com}, scheme and port included);
         * {@code "*"} allows any origin.
         */
        public Builder allowedOrigins(String... origins) {
            Set<String> allowed = Set.of(origins);
            anyOrigin = allowed.contains("*");
            allowedOrigins = anyOrigin ? origin -> true : allowed::contains;
            return this;
        }

        /** The origins allowed: those {@code predicate} accepts (the {@code Origin} header as sent). */
        public Builder allowedOrigins(Predicate<String> predicate) {
            allowedOrigins = Objects.requireNonNull(predicate, "predicate");
            anyOrigin = false;
            return this;
        }

        /** The methods allowed (GET, HEAD and POST by default), listed in preflight answers. */
        public Builder allowedMethods(String... methods) {
            allowedMethods.clear();
            allowedMethods.addAll(List.of(methods));
            return this;
        }

        /** The request headers allowed beyond the CORS-safelisted ones ({@code "*"}: any); none by default. */
        public Builder allowedHeaders(String... headers) {
            return addLowerCase(allowedHeaders, List.of(headers));
        }

        /** The response headers a page may read beyond the safelisted ones; none by default. */
        public Builder exposedHeaders(String... headers) {
            exposedHeaders.addAll(List.of(headers));
            return this;
        }

        /** Whether requests with credentials (cookies, HTTP authentication) are allowed; off by default. */
        public Builder allowCredentials(boolean on) {
            allowCredentials = on;
            return this;
        }

        /** How long a browser may cache a preflight answer; none (the browser's default) by default. */
        public Builder maxAge(Duration age) {
            if (age != null && age.isNegative()) {
                throw new IllegalArgumentException("a max age cannot be negative: " + age);
            }
            maxAge = age;
            return this;
        }

        private Builder addLowerCase(Set<String> into, Collection<String> names) {
            for (String name : names) {
                into.add(name.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** Builds the filter. */
        public CorsFilter build() {
            return new CorsFilter(this);
        }
    }
}
