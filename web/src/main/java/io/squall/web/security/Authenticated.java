package io.squall.web.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets only signed-in users reach a handler method (Tornado's {@code @authenticated}), put on the method
 * ({@code get()}, {@code post()}, ...) or on the handler class for all of them.
 *
 * <p>When the handler's {@code currentUser()} is null, a GET or HEAD is redirected to the application's
 * login URL with the request's URI in the {@code next} query argument, and any other method (or a GET when
 * no login URL is set) is answered with 403.
 *
 * <pre>{@code
 * class ProfileHandler extends RequestHandler {
 *     @Authenticated
 *     protected void get() { render("me.html", Map.of("user", currentUser())); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Authenticated {}
