package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RedirectHandler and ErrorHandler (web_test item 12). */
class BuiltinHandlersTest extends WebTestCase {
    private static Application redirects() {
        return Application.builder()
                .route("/src", () -> new RedirectHandler("/dst"))
                .route("/src2", () -> new RedirectHandler("/dst2?foo=bar"))
                .route("/temporary", () -> new RedirectHandler("/dst", false))
                .route("/named/(?<id>[0-9]+)", () -> new RedirectHandler("/users/{id}/{{profile}}"))
                .route("//web_redirect_double_slash", () -> new RedirectHandler("/web_redirect_newpath"))
                .route("/(.*?)/(.*?)/(.*)", () -> new RedirectHandler("/{1}/{0}/{2}"))
                .build();
    }

    private void assertRedirect(String path, int status, String location) {
        HttpResponse<String> response = fetch(path);
        assertEquals(status, response.statusCode(), path);
        assertEquals(location, response.headers().firstValue("Location").orElseThrow(), path);
    }

    @Test
    void redirectHandler() {
        run(() -> {
            serve(redirects());
            assertRedirect("/src", 301, "/dst");
            assertRedirect("/temporary", 302, "/dst");
            assertRedirect("/src?foo=bar", 301, "/dst?foo=bar");
            assertRedirect("/src2?foo2=bar2", 301, "/dst2?foo=bar&foo2=bar2");
            assertRedirect("/src?q=a+b%26c", 301, "/dst?q=a+b%26c");
            assertRedirect("/a/b/c", 301, "/b/a/c");
            assertRedirect("/named/42", 301, "/users/42/{profile}");
            assertEquals(405, fetch("POST", "/src", "").statusCode());
        });
    }

    @Test
    void doubleSlashPath() {
        run(() -> {
            serve(redirects());
            String response = raw("GET //web_redirect_double_slash HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(response.startsWith("HTTP/1.1 301 Moved Permanently\r\n"), response);
            assertTrue(response.contains("\r\nLocation: /web_redirect_newpath\r\n"), response);
        });
    }

    @Test
    void formatSubstitutesGroupsLikePython() {
        assertEquals("/b/a", RedirectHandler.format("/{1}/{0}", List.of("a", "b"), Map.of()));
        assertEquals("/x/{}", RedirectHandler.format("/{id}/{{}}", List.of(), Map.of("id", "x")));
        assertThrows(IllegalArgumentException.class, () -> RedirectHandler.format("/{2}", List.of("a"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> RedirectHandler.format("/{nope}", List.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> RedirectHandler.format("/{0", List.of("a"), Map.of()));
    }

    @Test
    void errorHandlerAnswersItsStatusToEveryMethod() {
        run(() -> {
            serve(Application.builder().route("/error", () -> new ErrorHandler(417)).build());
            assertEquals(417, fetch("POST", "/error", "").statusCode());
            HttpResponse<String> response = fetch("/error");
            assertEquals(417, response.statusCode());
            assertEquals(ErrorsTest.page(417, "Expectation Failed"), response.body());
            assertEquals(404, fetch("POST", "/404", "").statusCode());
        });
    }
}
