package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo's signed-in site over real sockets, with the JDK HttpClient keeping cookies as a browser does. */
class DemoSiteTest {
    private static final Pattern TOKEN = Pattern.compile("name=\"_xsrf\" value=\"([^\"]+)\"");

    record Browser(IOLoop loop, HttpClient client, URI base) {
        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(base.resolve(path)).build());
        }

        HttpResponse<String> post(String path, String form) {
            return send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        }

        HttpResponse<String> send(HttpRequest request) {
            return await(loop.runInExecutor(null, () -> client.send(request, HttpResponse.BodyHandlers.ofString())));
        }
    }

    static String token(HttpResponse<String> page) {
        Matcher m = TOKEN.matcher(page.body());
        assertTrue(m.find(), page.body());
        return URLEncoder.encode(m.group(1).replace("&#124;", "|"), StandardCharsets.UTF_8);
    }

    static void withSite(java.util.function.Consumer<Browser> test) {
        try (IOLoop loop = new IOLoop(); Application app = DemoApp.build()) {
            loop.runSync(() -> {
                int port = app.listen(0, "127.0.0.1");
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
                test.accept(new Browser(loop, client, URI.create("http://127.0.0.1:" + port)));
                return null;
            }, Duration.ofSeconds(30));
        }
    }

    @Test
    void signInSeeMeSignOut() {
        withSite(browser -> {
            HttpResponse<String> anonymous = browser.get("/me");
            assertEquals(302, anonymous.statusCode());
            assertEquals("/login?next=%2Fme", anonymous.headers().firstValue("Location").orElseThrow());

            HttpResponse<String> form = browser.get("/login?next=%2Fme");
            assertEquals(200, form.statusCode());
            assertTrue(form.body().contains("<input type=\"hidden\" name=\"next\" value=\"/me\">"), form.body());
            HttpResponse<String> signedIn = browser.post("/login", "_xsrf=" + token(form) + "&next=%2Fme&name=demo&password=squall");
            assertEquals(302, signedIn.statusCode());
            assertEquals("/me", signedIn.headers().firstValue("Location").orElseThrow());

            HttpResponse<String> me = browser.get("/me");
            assertEquals(200, me.statusCode());
            assertTrue(me.body().contains("Hello, demo"), me.body());
            assertTrue(me.body().contains("href=\"/upload\""), me.body());

            HttpResponse<String> out = browser.post("/logout", "_xsrf=" + token(me));
            assertEquals(302, out.statusCode());
            assertEquals(302, browser.get("/me").statusCode(), "signed out");
        });
    }

    @Test
    void wrongPasswordMissingTokenAndForeignNextAreRefused() {
        withSite(browser -> {
            HttpResponse<String> form = browser.get("/login");
            String token = token(form);
            HttpResponse<String> wrong = browser.post("/login", "_xsrf=" + token + "&name=demo&password=nope");
            assertEquals(403, wrong.statusCode());
            assertTrue(wrong.body().contains("Wrong name or password."), wrong.body());
            assertEquals(403, browser.post("/login", "name=demo&password=squall").statusCode(), "no XSRF token");
            HttpResponse<String> foreign = browser.post("/login",
                    "_xsrf=" + token + "&name=demo&password=squall&next=%2F%2Fevil.example%2F");
            assertEquals("/me", foreign.headers().firstValue("Location").orElseThrow(), "open redirect refused");
            assertFalse(browser.get("/login?next=https%3A%2F%2Fevil.example").body().contains("evil.example"));
        });
    }

    @Test
    void toolEndpointsNeedNoToken() {
        withSite(browser -> assertEquals(200, browser.post("/echo", "x=1").statusCode()));
    }
}
