package io.squall.web;

import java.time.Duration;
import java.time.Instant;

/**
 * The attributes of a cookie set by {@link RequestHandler#setCookie(String, String, CookieOptions)}
 * (Tornado's {@code set_cookie} keyword arguments). Build with {@link #builder()}; {@link #DEFAULTS} has
 * just {@code Path=/}.
 *
 * <pre>{@code
 * setCookie("session", id, CookieOptions.builder().httpOnly(true).secure(true).sameSite("Lax")
 *         .maxAge(Duration.ofDays(30)).build());
 * }</pre>
 *
 * @param domain the {@code Domain} attribute, or null
 * @param path the {@code Path} attribute, or null for none ({@code /} by default)
 * @param expires the {@code expires} attribute, or null
 * @param maxAge the {@code Max-Age} attribute (whole seconds), or null
 * @param httpOnly whether to send {@code HttpOnly}
 * @param secure whether to send {@code Secure}
 * @param sameSite the {@code SameSite} attribute ({@code Strict}, {@code Lax}, {@code None}), or null
 * @param partitioned whether to send {@code Partitioned} (CHIPS: a third-party cookie kept per top-level
 *     site; browsers require {@code Secure} with it)
 */
public record CookieOptions(String domain, String path, Instant expires, Duration maxAge, boolean httpOnly,
                            boolean secure, String sameSite, boolean partitioned) {
    /** {@code Path=/} and nothing else. */
    public static final CookieOptions DEFAULTS = builder().build();

    /** Starts from {@link #DEFAULTS}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().domain(domain).path(path).expires(expires).maxAge(maxAge).httpOnly(httpOnly)
                .secure(secure).sameSite(sameSite).partitioned(partitioned);
    }

    /** Builder of {@link CookieOptions}. */
    public static final class Builder {
        private String domain;
        private String path = "/";
        private Instant expires;
        private Duration maxAge;
        private boolean httpOnly;
        private boolean secure;
        private String sameSite;
        private boolean partitioned;

        private Builder() {}

        /** See {@link CookieOptions#domain()}. */
        public Builder domain(String domain) {
            this.domain = domain;
            return this;
        }

        /** See {@link CookieOptions#path()}. */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** See {@link CookieOptions#expires()}. */
        public Builder expires(Instant expires) {
            this.expires = expires;
            return this;
        }

        /** Expires {@code days} days from now (Tornado's {@code expires_days}). */
        public Builder expiresDays(long days) {
            return expires(Instant.now().plus(Duration.ofDays(days)));
        }

        /** See {@link CookieOptions#maxAge()}. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = maxAge;
            return this;
        }

        /** See {@link CookieOptions#httpOnly()}. */
        public Builder httpOnly(boolean on) {
            this.httpOnly = on;
            return this;
        }

        /** See {@link CookieOptions#secure()}. */
        public Builder secure(boolean on) {
            this.secure = on;
            return this;
        }

        /** See {@link CookieOptions#sameSite()}. */
        public Builder sameSite(String sameSite) {
            this.sameSite = sameSite;
            return this;
        }

        /** See {@link CookieOptions#partitioned()}. */
        public Builder partitioned(boolean on) {
            this.partitioned = on;
            return this;
        }

        /** Builds the options. */
        public CookieOptions build() {
            return new CookieOptions(domain, path, expires, maxAge, httpOnly, secure, sameSite, partitioned);
        }
    }
}
