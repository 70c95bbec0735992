package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.web.security.Authenticated;
import io.squall.web.security.SafeRedirects;
import io.squall.web.security.SignedValues;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signed cookies, cookie attributes, XSRF protection and {@link Authenticated} over real sockets
 * (Tornado's web_test SignedValue, XSRF and authenticated cases, and the attacks they guard against).
 */
class SecurityTest extends WebTestCase {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    static final String NEXT_SECRET = "fedcba9876543210fedcba9876543210-next";

    /** Sets the signed cookie {@code user} from ?set=, and writes what getSignedCookie reads (or "none"). */
    static class SignedCookieHandler extends RequestHandler {
        @Override
        protected void get() {
            String set = getArgument("set", null);
            if (set != null) {
                setSignedCookie("user", set);
            }
            String read = getSignedCookie("user");
            write(read == null ? "none" : read);
        }
    }

    Application signedApp(Map<Integer, String> secrets) {
        return Application.builder().route("/", SignedCookieHandler::new).cookieSecrets(secrets).build();
    }

    String readWithCookie(String cookie) {
        return send(request("/").header("Cookie", "user=" + cookie).build()).body();
    }

    static String cookieValue(HttpResponse<?> response, String name) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            if (header.startsWith(name + "=")) {
                return header.substring(name.length() + 1, header.indexOf(';'));
            }
        }
        throw new AssertionError("no Set-Cookie for " + name + " in " + response.headers().map());
    }

    @Test
    void aSignedCookieComesBackAndItsAttributesAreSafe() {
        run(() -> {
            serve(signedApp(Map.of(0, SECRET)));
            HttpResponse<String> set = fetch("/?set=alice");
            String header = set.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(header.contains("HttpOnly") && header.contains("SameSite=Lax") && header.contains("Max-Age=2592000")
                    && header.contains("Path=/"), header);
            assertEquals("alice", readWithCookie(cookieValue(set, "user")));
            assertEquals("none", fetch("/").body());
        });
    }

    @Test
    void tamperedForgedAndMalformedCookiesReadAsAbsent() {
        run(() -> {
            serve(signedApp(Map.of(0, SECRET)));
            String good = cookieValue(fetch("/?set=alice"), "user");
            String tamperedValue = good.replace("|7:YWxpY2U|", "|7:bWFsbG8|"); // alice -> mallo
            assertNotEquals(good, tamperedValue);
            String forged = SignedValues.of("another secret that is long enough to sign").create("user", "admin");
            String otherName = SignedValues.of(SECRET).create("admin", "alice");
            for (String bad : List.of(tamperedValue, good.substring(0, good.length() - 1) + (good.endsWith("0") ? "1" : "0"), forged, otherName,
                    "2|1:0|", "alice", "2|1:0|10:1700000000|4:user|8:YWxpY2U|zz", "3|" + good.substring(2))) {
                assertEquals("none", readWithCookie(bad), bad);
            }
        });
    }

    @Test
    void expiredAndFutureDatedCookiesReadAsAbsent() {
        run(() -> {
            serve(signedApp(Map.of(0, SECRET)));
            Instant now = Instant.now();
            String expired = SignedValues.of(Map.of(0, SECRET), Clock.fixed(now.minus(Duration.ofDays(32)), ZoneOffset.UTC))
                    .create("user", "alice");
            String future = SignedValues.of(Map.of(0, SECRET), Clock.fixed(now.plus(Duration.ofDays(1)), ZoneOffset.UTC))
                    .create("user", "alice");
            String recent = SignedValues.of(Map.of(0, SECRET), Clock.fixed(now.minus(Duration.ofDays(30)), ZoneOffset.UTC))
                    .create("user", "alice");
            assertEquals("none", readWithCookie(expired));
            assertEquals("none", readWithCookie(future));
            assertEquals("alice", readWithCookie(recent));
        });
    }

    @Test
    void keyRotationKeepsOldCookiesUntilTheirKeyIsRetired() {
        run(() -> {
            serve(signedApp(Map.of(1, SECRET)));
            String old = cookieValue(fetch("/?set=alice"), "user");
            app.close();
            serve(signedApp(Map.of(1, SECRET, 2, NEXT_SECRET)));
            assertEquals("alice", readWithCookie(old), "signed with version 1, still verified");
            String renewed = cookieValue(fetch("/?set=alice"), "user");
            assertTrue(renewed.startsWith("2|1:2|"), renewed);
            app.close();
            serve(signedApp(Map.of(2, NEXT_SECRET)));
            assertEquals("none", readWithCookie(old), "replayed after its key was retired");
            assertEquals("alice", readWithCookie(renewed));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"value; Domain=evil.example", "v\r\nSet-Cookie: x=y", "a b", "name=v;", "sameSite",
            "domain", "path", "partitioned"})
    void cookieNamesValuesAndAttributesThatWouldInjectAreRefused(String hostile) {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    List<String> refused = new java.util.ArrayList<>();
                    tryCookie(refused, "value", () -> setCookie("c", hostile));
                    tryCookie(refused, "name", () -> setCookie(hostile, "v"));
                    tryCookie(refused, "domain", () -> setCookie("c", "v", CookieOptions.builder().domain(hostile).build()));
                    tryCookie(refused, "path", () -> setCookie("c", "v", CookieOptions.builder().path(hostile).build()));
                    tryCookie(refused, "sameSite", () -> setCookie("c", "v", CookieOptions.builder().sameSite(hostile).build()));
                    write(String.join(",", refused));
                }
            });
            HttpResponse<String> response = fetch("/");
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("name"), hostile + ": " + response.body());
            assertTrue(response.body().contains("sameSite"), response.body());
            assertFalse(response.headers().map().containsKey("x"), "no header was injected");
            for (String header : response.headers().allValues("Set-Cookie")) {
                assertFalse(header.contains("evil") || header.contains("\n"), header);
            }
        });
    }

    static void tryCookie(List<String> refused, String what, Runnable set) {
        try {
            set.run();
        } catch (IllegalArgumentException expected) {
            refused.add(what);
        }
    }

    @Test
    void everyCookieAttributeIsWritten() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setCookie("c", "v", CookieOptions.builder().domain("example.com").path("/app")
                            .maxAge(Duration.ofSeconds(60)).httpOnly(true).secure(true).sameSite("None")
                            .partitioned(true).build());
                }
            });
            assertEquals("c=v; Domain=example.com; HttpOnly; Max-Age=60; Partitioned; Path=/app; SameSite=None; Secure",
                    fetch("/").headers().firstValue("Set-Cookie").orElseThrow());
        });
    }

    // ------------------------------------------------------------------ XSRF

    static class FormHandler extends RequestHandler {
        @Override
        protected void get() {
            write(xsrfFormHtml());
        }

        @Override
        protected void post() {
            write("posted " + getArgument("item", ""));
        }
    }

    static class ApiHandler extends FormHandler {
        @Override
        protected void checkXsrfCookie() {
            // authenticated by other means: opted out
        }
    }

    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_xsrf\" value=\"([^\"]+)\"");

    record Session(String cookie, String token) {}

    Session openForm() {
        HttpResponse<String> page = fetch("/form");
        Matcher m = FORM_TOKEN.matcher(page.body());
        assertTrue(m.find(), page.body());
        return new Session(cookieValue(page, "_xsrf"), m.group(1).replace("&#124;", "|").replace("&amp;", "&"));
    }

    HttpResponse<String> post(String body, String cookie, String header, String value) {
        HttpRequest.Builder builder = request("/form").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            builder.header("Cookie", "_xsrf=" + cookie);
        }
        if (header != null) {
            builder.header(header, value);
        }
        return send(builder.build());
    }

    @Test
    void xsrfTokensAreCheckedOnEveryUnsafeMethod() {
        run(() -> {
            serve(Application.builder().route("/form", FormHandler::new).route("/api", ApiHandler::new)
                    .xsrfCookies(true).build());
            Session session = openForm();
            assertTrue(openForm().token() != null);
            String encoded = java.net.URLEncoder.encode(session.token(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals("posted x", post("item=x&_xsrf=" + encoded, session.cookie(), null, null).body());
            assertEquals(200, post("item=x", session.cookie(), "X-XSRFToken", session.token()).statusCode());
            assertEquals(200, post("item=x", session.cookie(), "X-CSRFToken", session.token()).statusCode());
            assertEquals(403, post("item=x", session.cookie(), null, null).statusCode(), "no token");
            assertEquals(403, post("item=x&_xsrf=" + encoded, null, null, null).statusCode(), "no cookie");
            Session other = openForm();
            assertEquals(403, post("item=x", session.cookie(), "X-XSRFToken", other.token()).statusCode(),
                    "another session's token");
            assertEquals(403, post("item=x", session.cookie(), "X-XSRFToken", "2|00|00|1").statusCode(), "garbage");
            assertEquals(403, send(request("/form").DELETE().build()).statusCode());
            assertEquals(405, send(request("/form").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build())
                    .statusCode(), "OPTIONS is not checked: it reaches the handler, which has no options()");
            HttpResponse<String> api = send(request("/api").POST(HttpRequest.BodyPublishers.ofString("")).build());
            assertEquals("posted ", api.body(), "a handler that opted out");
        });
    }

    @Test
    void theXsrfCookieIsReusedAndEachPageMasksItAfresh() {
        run(() -> {
            serve(Application.builder().route("/form", FormHandler::new).xsrfCookies(true).build());
            Session session = openForm();
            HttpResponse<String> again = send(request("/form").header("Cookie", "_xsrf=" + session.cookie()).build());
            assertTrue(again.headers().allValues("Set-Cookie").isEmpty(), "a valid cookie is kept");
            Matcher m = FORM_TOKEN.matcher(again.body());
            assertTrue(m.find());
            assertNotEquals(session.token(), m.group(1).replace("&#124;", "|"), "masked afresh");
        });
    }

    // ------------------------------------------------------------------ authentication

    /** The user is the signed cookie {@code user}. */
    abstract static class UserHandler extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return getSignedCookie("user");
        }
    }

    static class ProfileHandler extends UserHandler {
        @Override
        @Authenticated
        protected void get() {
            write("hello " + currentUser());
        }

        @Override
        @Authenticated
        protected void post() {
            write("changed by " + currentUser());
        }

        @Override
        protected void put() {
            write("open to all");
        }
    }

    @Authenticated
    static class AdminHandler extends UserHandler {
        @Override
        protected void get() {
            write("admin " + currentUser());
        }
    }

    Application authApp(String loginUrl) {
        return Application.builder().route("/me", ProfileHandler::new).route("/admin", AdminHandler::new)
                .route("/", SignedCookieHandler::new).cookieSecret(SECRET).loginUrl(loginUrl).build();
    }

    @Test
    void anonymousGetsGoToTheLoginPageWithNextAndOtherMethodsGet403() {
        run(() -> {
            serve(authApp("/login"));
            HttpResponse<String> redirect = fetch("/me?tab=1");
            assertEquals(302, redirect.statusCode());
            assertEquals("/login?next=%2Fme%3Ftab%3D1", redirect.headers().firstValue("Location").orElseThrow());
            assertEquals(302, send(request("/me").method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).statusCode());
            assertEquals(403, fetch("POST", "/me", "").statusCode());
            assertEquals("open to all", fetch("PUT", "/me", "").body());
            assertEquals(302, fetch("/admin").statusCode(), "the class-level annotation");

            String user = cookieValue(fetch("/?set=alice"), "user");
            assertEquals("hello alice", send(request("/me").header("Cookie", "user=" + user).build()).body());
            assertEquals("changed by alice", send(request("/me").header("Cookie", "user=" + user)
                    .POST(HttpRequest.BodyPublishers.noBody()).build()).body());
            assertEquals("admin alice", send(request("/admin").header("Cookie", "user=" + user).build()).body());
            assertEquals(302, send(request("/me").header("Cookie", "user=" + user + "x").build()).statusCode(),
                    "a tampered user cookie is nobody");
        });
    }

    @Test
    void withoutALoginUrlAnonymousGetsGet403AndALoginUrlWithAQueryKeepsIt() {
        run(() -> {
            serve(authApp(null));
            assertEquals(403, fetch("/me").statusCode());
            app.close();
            serve(authApp("/login?lang=en"));
            assertEquals("/login?lang=en&next=%2Fme", fetch("/me").headers().firstValue("Location").orElseThrow());
        });
    }

    @Test
    void aLoginHandlerIgnoresANextThatLeavesTheSite() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    redirect(SafeRedirects.localPathOr(getArgument("next", null), "/"));
                }
            });
            assertEquals("/me?x=1", fetch("/?next=%2Fme%3Fx%3D1").headers().firstValue("Location").orElseThrow());
            for (String evil : List.of("%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example",
                    "javascript%3Aalert(1)")) {
                assertEquals("/", fetch("/?next=" + evil).headers().firstValue("Location").orElseThrow(), evil);
            }
        });
    }
}
