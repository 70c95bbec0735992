/**
 * Security building blocks of the web framework, usable alone: {@link io.squall.web.security.SignedValues}
 * (HMAC-signed values with key rotation, behind signed cookies), {@link io.squall.web.security.XsrfTokens}
 * (masked anti-forgery tokens), {@link io.squall.web.security.Authenticated} (methods for signed-in users
 * only) and {@link io.squall.web.security.SafeRedirects} (no open redirect through {@code next}).
 * {@link io.squall.web.RequestHandler} ties them to cookies, settings and requests.
 */
package io.squall.web.security;
