package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rendering through Pebble: inheritance, includes, autoescaping of hostile strings, the variables and
 * functions every template sees, errors, and caching (Tornado's template and web_test rendering cases).
 */
class TemplatesTest extends WebTestCase {
    static final String HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&";

    /** Renders the template named by ?t= with a hostile title and message. */
    static class PageHandler extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return getArgument("user", null);
        }

        @Override
        protected void get() {
            render(getArgument("t", "page.html"), Map.of("title", HOSTILE, "message", getArgument("m", HOSTILE)));
        }
    }

    Application.Builder app() {
        return Application.builder().route("/", PageHandler::new).templateResources("templates");
    }

    @Test
    void inheritanceIncludesAndEveryVariableRender() {
        run(() -> {
            serve(app().xsrfCookies(true).build());
            HttpResponse<String> page = fetch("/?user=ann");
            assertEquals(200, page.statusCode());
            String body = page.body();
            assertTrue(body.startsWith("<!doctype html>"), body);
            assertTrue(body.contains("<nav>signed in as ann at /</nav>"), body);
            assertTrue(body.contains("<input type=\"hidden\" name=\"_xsrf\" value=\"2|"), "xsrfFormHtml is not escaped: " + body);
            assertTrue(page.headers().firstValue("Set-Cookie").orElseThrow().startsWith("_xsrf="));
            assertTrue(fetch("/").body().contains("<nav>anonymous at /</nav>"));
        });
    }

    @Test
    void hostileStringsAreEscapedInTextAndAttributes() {
        run(() -> {
            serve(app().build());
            String body = fetch("/").body();
            assertFalse(body.contains("<script>"), body);
            assertFalse(body.contains("<img"), body);
            assertTrue(body.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;"),
                    body);
        });
    }

    @Test
    void aTemplateErrorIsA500NamingTheTemplateAndLine() {
        expectErrors();
        run(() -> {
            serve(app().build());
            for (String template : new String[] {"broken.html", "failing.html", "failing-include.html", "missing.html"}) {
                HttpResponse<String> page = fetch("/?t=" + template);
                assertEquals(500, page.statusCode(), template);
                assertFalse(page.body().contains(template), "no detail without tracebacks: " + page.body());
            }
            assertEquals(1, logs.count(Level.ERROR, "Template error in broken.html line "),
                    logs.atLeast(Level.ERROR).toString());
            assertEquals(1, logs.count(Level.ERROR, "Template error in failing.html line 2"),
                    logs.atLeast(Level.ERROR).toString());
            assertEquals(1, logs.count(Level.ERROR, "Template error in failing-include.html"),
                    logs.atLeast(Level.ERROR).toString());
            assertEquals(1, logs.count(Level.ERROR, "Template error in missing.html"), logs.atLeast(Level.ERROR).toString());
        });
    }

    @Test
    void inDebugModeTheErrorPageShowsTheDetailAndEditsShowAtOnce(@TempDir Path dir) {
        expectErrors();
        run(() -> {
            write(dir.resolve("live.html"), "<p>first {{ message }}</p>");
            serve(Application.builder().route("/", PageHandler::new).templatePath(dir).debug(true).build());
            assertEquals("<p>first hi</p>", fetch("/?t=live.html&m=hi").body());
            write(dir.resolve("live.html"), "<p>second {{ message }}</p>");
            assertEquals("<p>second hi</p>", fetch("/?t=live.html&m=hi").body());
            write(dir.resolve("bad.html"), "ok\n{% if %}");
            HttpResponse<String> error = fetch("/?t=bad.html");
            assertEquals(500, error.statusCode());
            assertTrue(error.body().contains("bad.html line 2"), error.body());
        });
    }

    @Test
    void outsideDebugModeCompiledTemplatesAreCached(@TempDir Path dir) {
        run(() -> {
            write(dir.resolve("cached.html"), "<p>first</p>");
            serve(Application.builder().route("/", PageHandler::new).templatePath(dir).build());
            assertEquals("<p>first</p>", fetch("/?t=cached.html").body());
            write(dir.resolve("cached.html"), "<p>second</p>");
            assertEquals("<p>first</p>", fetch("/?t=cached.html").body());
        });
    }

    @Test
    void renderingWithoutTemplatesConfiguredIsA500() {
        expectErrors();
        run(() -> {
            serve(Application.builder().route("/", PageHandler::new).build());
            assertEquals(500, fetch("/").statusCode());
            assertEquals(1, logs.count(Level.ERROR, "Uncaught exception"));
        });
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
