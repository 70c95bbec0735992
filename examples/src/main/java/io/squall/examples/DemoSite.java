package io.squall.examples;

import io.squall.web.Application;
import io.squall.web.RequestHandler;
import io.squall.web.security.Authenticated;
import io.squall.web.security.SafeRedirects;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * The signed-in part of the demo: pages rendered from the templates under {@code templates/} on the class
 * path, a sign-in form protected against cross-site request forgery that sets a signed cookie, a page only
 * signed-in users see, and sign-out.
 *
 * <ul>
 *   <li>{@code GET /login}: the form ({@code next} is where to go afterwards, if it is a path on this site);</li>
 *   <li>{@code POST /login}: signs in {@value #DEMO_USER} with password {@value #DEMO_PASSWORD}, or answers
 *       403 with the form again;</li>
 *   <li>{@code GET /me}: the signed-in user's page; others are sent to {@code /login?next=/me};</li>
 *   <li>{@code POST /logout}: signs out.</li>
 * </ul>
 */
final class DemoSite {
    /** The demo's one account. */
    static final String DEMO_USER = "demo";
    static final String DEMO_PASSWORD = "squall";
    private static final String USER_COOKIE = "user";

    private DemoSite() {}

    /** Adds the site's routes and settings: a cookie secret made at start-up, XSRF protection, templates. */
    static Application.Builder addTo(Application.Builder app) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return app.route("/login", LoginHandler::new)
                .route("/logout", LogoutHandler::new)
                .route("/me", MeHandler::new)
                .cookieSecret(HexFormat.of().formatHex(secret))
                .xsrfCookies(true)
                .loginUrl("/login")
                .templateResources("templates");
    }

    /** A page of the site: its user is the signed cookie {@code user}. */
    abstract static class SiteHandler extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return getSignedCookie(USER_COOKIE);
        }
    }

    /** The sign-in form and its check. */
    static final class LoginHandler extends SiteHandler {
        @Override
        protected void get() {
            form(null);
        }

        @Override
        protected void post() {
            String name = getArgument("name", "");
            if (!equal(name, DEMO_USER) | !equal(getArgument("password", ""), DEMO_PASSWORD)) {
                setStatus(403);
                form("Wrong name or password.");
                return;
            }
            setSignedCookie(USER_COOKIE, name);
            redirect(SafeRedirects.localPathOr(getArgument("next", null), "/me"));
        }

        private void form(String error) {
            render("login.html", Map.of("next", SafeRedirects.localPathOr(getArgument("next", null), "/me"),
                    "error", error == null ? "" : error, "demoUser", DEMO_USER, "demoPassword", DEMO_PASSWORD));
        }

        /** Compares in constant time, so that the answer's timing does not tell how much was right. */
        private static boolean equal(String given, String expected) {
            return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The signed-in user's page. */
    static final class MeHandler extends SiteHandler {
        @Override
        @Authenticated
        protected void get() {
            render("me.html", Map.of());
        }
    }

    /** Signs out (a POST, so that no link on another site can do it). */
    static final class LogoutHandler extends SiteHandler {
        @Override
        protected void post() {
            clearCookie(USER_COOKIE);
            redirect("/login");
        }
    }
}
