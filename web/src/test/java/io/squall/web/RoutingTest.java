package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing: patterns, groups, hosts, the default handler and reverse URLs (web_test items 1, 11, 17). */
class RoutingTest extends WebTestCase {
    static final String NOT_FOUND = "<html><title>404: Not Found</title><body>404: Not Found</body></html>";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes what it was routed with as JSON. */
    static class EchoHandler extends RequestHandler {
        @Override
        protected void get() {
            Map<String, Object> echo = new LinkedHashMap<>();
            echo.put("path", request().path());
            echo.put("args", pathArgs());
            echo.put("kwargs", pathKwargs());
            echo.put("query", getArguments("foo"));
            write(echo);
        }
    }

    /** Writes a fixed reply. */
    static class ReplyHandler extends RequestHandler {
        private final String reply;

        ReplyHandler(String reply) {
            this.reply = reply;
        }

        @Override
        protected void get() {
            write(reply);
        }
    }

    /** Has only a no-argument constructor, for routes by class. */
    static class HelloHandler extends RequestHandler {
        @Override
        protected void get() {
            write("hello");
        }
    }

    private Map<?, ?> json(String path) throws Exception {
        HttpResponse<String> response = fetch(path);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readValue(response.body(), Map.class);
    }

    private static Application.Builder echoApp() {
        return Application.builder()
                .route("/group/(.*)", EchoHandler::new)
                .route("/slashes/([^/]*)/([^/]*)", EchoHandler::new)
                .route("/kw/(?<path>.*)", EchoHandler::new)
                .route("/optional/(.+)?", EchoHandler::new)
                .route("/decode_arg/(.*)", EchoHandler::new, "decode_arg")
                .route("^/anchored$", EchoHandler::new);
    }

    @Test
    void unmatchedPathGetsTornadosExact404Page() {
        run(() -> {
            serve(Application.builder().route("/foo", HelloHandler.class).build());
            HttpResponse<String> response = fetch("/");
            assertEquals(404, response.statusCode());
            assertEquals(NOT_FOUND, response.body());
            assertEquals("text/html; charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
        });
    }

    @Test
    void defaultHandlerReplaces404() {
        run(() -> {
            serve(Application.builder().route("/foo", HelloHandler.class)
                    .defaultHandler(() -> new ErrorHandler(403)).build());
            HttpResponse<String> response = fetch("/");
            assertEquals(403, response.statusCode());
            assertEquals("<html><title>403: Forbidden</title><body>403: Forbidden</body></html>", response.body());
        });
    }

    @Test
    void customDefaultHandlerWritesItsOwn404() {
        run(() -> {
            serve(Application.builder().defaultHandler(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setStatus(404);
                    write("custom 404 response");
                }
            }).build());
            HttpResponse<String> response = fetch("/anything");
            assertEquals(404, response.statusCode());
            assertEquals("custom 404 response", response.body());
        });
    }

    @Test
    void patternsMatchTheWholePath() {
        run(() -> {
            serve(echoApp().route("/foo", HelloHandler.class).build());
            assertEquals("hello", fetch("/foo").body());
            assertEquals(404, fetch("/foobar").statusCode());
            assertEquals(404, fetch("/xfoo").statusCode());
            assertEquals("/anchored", json("/anchored").get("path"));
        });
    }

    @Test
    void routeByClassUsesTheNoArgumentConstructor() {
        run(() -> {
            serve(Application.builder().route("/hello", HelloHandler.class).build());
            assertEquals("hello", fetch("/hello").body());
        });
    }

    @Test
    void positionalGroupsArePercentDecoded() {
        run(() -> {
            serve(echoApp().build());
            Map<?, ?> echo = json("/slashes/a%2Fb/c%2Fd");
            assertEquals("/slashes/a%2Fb/c%2Fd", echo.get("path"));
            assertEquals(List.of("a/b", "c/d"), echo.get("args"));
            assertEquals(Map.of(), echo.get("kwargs"));
            assertEquals(List.of("?"), json("/group/%3F").get("args"));
            assertEquals(List.of("é"), json("/group/%C3%A9?foo=%C3%A9").get("args"));
            assertEquals(List.of("é"), json("/group/%C3%A9?foo=%C3%A9").get("query"));
        });
    }

    @Test
    void namedGroupsBecomeKeywordArguments() {
        run(() -> {
            serve(echoApp().build());
            Map<?, ?> echo = json("/kw/foo%20bar");
            assertEquals(List.of(), echo.get("args"));
            assertEquals(Map.of("path", "foo bar"), echo.get("kwargs"));
        });
    }

    @Test
    void groupThatDidNotMatchIsNull() {
        run(() -> {
            serve(echoApp().build());
            assertEquals(List.of("foo"), json("/optional/foo").get("args"));
            assertEquals(Arrays.asList((Object) null), json("/optional/").get("args"));
        });
    }

    @Test
    void plusStaysInThePathButIsASpaceInTheQuery() {
        run(() -> {
            serve(echoApp().build());
            for (String url : List.of("/decode_arg/1%20%2B%201?foo=1%20%2B%201", "/decode_arg/1%20+%201?foo=1+%2B+1")) {
                Map<?, ?> echo = json(url);
                assertEquals(List.of("1 + 1"), echo.get("args"), url);
                assertEquals(List.of("1 + 1"), echo.get("query"), url);
            }
        });
    }

    @Test
    void invalidUtf8InPathOrQueryGets400() {
        run(() -> {
            serve(echoApp().build());
            assertEquals(400, fetch("/group/invalid%FF").statusCode());
            assertEquals(400, fetch("/group/invalid?foo=%FF").statusCode());
            assertEquals(400, fetch("/group/?arg=%25%e9&foo=1").statusCode());
            assertEquals(3, logs.matching(Level.WARN, "Invalid unicode").size(), logs.atLeast(Level.WARN).toString());
            assertEquals(List.of(), logs.withStackTraces());
        });
    }

    @Test
    void pathArgumentsAreVisibleInPrepare() {
        class PrepareHandler extends RequestHandler {
            @Override
            protected void prepare() {
                write(Map.of("args", pathArgs(), "kwargs", pathKwargs()));
            }

            @Override
            protected void get() {
                assertEquals("foo", pathArgs().isEmpty() ? pathKwargs().get("path") : pathArgs().getFirst());
            }
        }
        run(() -> {
            serve(Application.builder().route("/pos/(.*)", PrepareHandler::new)
                    .route("/kw/(?<path>.*)", PrepareHandler::new).build());
            assertEquals(Map.of("args", List.of("foo"), "kwargs", Map.of()), json("/pos/foo"));
            assertEquals(Map.of("args", List.of(), "kwargs", Map.of("path", "foo")), json("/kw/foo"));
        });
    }

    @Test
    void groupsCannotBeBothNamedAndPositional() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Route.of("/(?<a>x)/(y)", HelloHandler::new));
        assertTrue(e.getMessage().contains("all named or all positional"), e.getMessage());
    }

    @Test
    void reverseUrlEncodesItsArguments() {
        Application application = echoApp().build();
        assertEquals("/decode_arg/foo", application.reverseUrl("decode_arg", "foo"));
        assertEquals("/decode_arg/42", application.reverseUrl("decode_arg", 42));
        assertEquals("/decode_arg/%C3%A9", application.reverseUrl("decode_arg", "é"));
        assertEquals("/decode_arg/1%20%2B%201", application.reverseUrl("decode_arg", "1 + 1"));
        assertEquals("/decode_arg/a/b", application.reverseUrl("decode_arg", "a/b"));
        assertThrows(IllegalArgumentException.class, () -> application.reverseUrl("nope"));
        assertThrows(IllegalArgumentException.class, () -> application.reverseUrl("decode_arg"));
    }

    @Test
    void routesReverseLikeTornadosUrlSpec() {
        assertEquals("/favicon.ico", Route.of("/favicon\\.ico", HelloHandler::new).reverse());
        assertEquals("/favicon.ico", Route.of("^/favicon\\.ico$", HelloHandler::new).reverse());
        assertEquals("/api/v1/foo/bar", Route.of("^/api/v1/foo/(\\w+)$", HelloHandler::new).reverse("bar"));
        assertEquals("/api.v1/foo/5/icon.png", Route.of("/api\\.v1/foo/([0-9]+)/icon\\.png", HelloHandler::new).reverse(5));
        assertEquals("/user/7", Route.of("/user/(?<id>[0-9]+)", HelloHandler::new).reverse(7));
        assertThrows(IllegalStateException.class, () -> Route.of("^/api/v\\d+/foo/(\\w+)$", HelloHandler::new).reverse("x"));
        assertThrows(IllegalStateException.class, () -> Route.of("/(?:a|b)/(x)", HelloHandler::new).reverse("x"));
    }

    @Test
    void handlersReverseUrlsThroughTheApplication() {
        run(() -> {
            serve(Application.builder()
                    .route("/user/(?<id>[0-9]+)", HelloHandler::new, "user")
                    .route("/link", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            write(reverseUrl("user", 42));
                        }
                    }).build());
            assertEquals("/user/42", fetch("/link").body());
        });
    }

    private String getWithHost(String path, String host, String... extraHeaders) {
        String response = raw("GET " + path + " HTTP/1.1\nHost: " + host + "\nConnection: close"
                + (extraHeaders.length == 0 ? "" : "\n" + String.join("\n", extraHeaders)));
        String status = response.substring(9, 12);
        return status.equals("200") ? response.substring(response.indexOf("\r\n\r\n") + 4) : status;
    }

    @Test
    void hostRoutesComeBeforeTheRoutesForEveryHost() {
        run(() -> {
            serve(Application.builder().route("/foo", () -> new ReplyHandler("wildcard")).build());
            app.addHandlers("www.example.com", List.of(Route.of("/foo", () -> new ReplyHandler("[0]"))));
            app.addHandlers("www\\.example\\.com", List.of(Route.of("/bar", () -> new ReplyHandler("[1]"))));
            app.addHandlers("www.example.com", List.of(Route.of("/baz", () -> new ReplyHandler("[2]"))));
            app.addHandlers("www.e.*e.com", List.of(Route.of("/baz", () -> new ReplyHandler("[3]"))));

            String local = "127.0.0.1:" + port;
            assertEquals("wildcard", getWithHost("/foo", local));
            assertEquals("404", getWithHost("/bar", local));
            assertEquals("404", getWithHost("/baz", local));
            assertEquals("[0]", getWithHost("/foo", "www.example.com"));
            assertEquals("[1]", getWithHost("/bar", "www.example.com:" + port));
            assertEquals("[2]", getWithHost("/baz", "WWW.example.com"));
            assertEquals("[3]", getWithHost("/baz", "www.exe.com"));
        });
    }

    @Test
    void defaultHostServesRequestsToUnknownHosts() {
        run(() -> {
            serve(Application.builder().defaultHost("www.example.com")
                    .addHandlers("www.example.com", List.of(Route.of("/foo", () -> new ReplyHandler("[0]"))))
                    .addHandlers("www\\.example\\.com", List.of(Route.of("/bar", () -> new ReplyHandler("[1]"))))
                    .addHandlers("www.test.com", List.of(Route.of("/baz", () -> new ReplyHandler("[2]"))))
                    .build());
            String local = "127.0.0.1:" + port;
            assertEquals("[0]", getWithHost("/foo", local));
            assertEquals("[1]", getWithHost("/bar", local));
            assertEquals("404", getWithHost("/baz", local));
            assertEquals("[2]", getWithHost("/baz", "www.test.com"));
            assertEquals("404", getWithHost("/foo", local, "X-Real-Ip: 127.0.0.1"));
        });
    }
}
