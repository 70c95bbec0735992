package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Query and body arguments, missing arguments, JSON bodies (web_test item 11). */
class ArgumentsTest extends WebTestCase {
    /** Writes argument foo from the source named by argument "source". */
    static class GetArgumentHandler extends RequestHandler {
        @Override
        protected void prepare() {
            String source = getArgument("source", null);
            String value = switch (source == null ? "" : source) {
                case "query" -> getQueryArgument("foo", "default");
                case "body" -> getBodyArgument("foo", "default");
                default -> getArgument("foo", "default");
            };
            finish(value);
        }
    }

    /** Writes every value of foo from each source as JSON. */
    static class GetArgumentsHandler extends RequestHandler {
        @Override
        protected void prepare() {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("default", getArguments("foo"));
            all.put("query", getQueryArguments("foo"));
            all.put("body", getBodyArguments("foo"));
            finish(all);
        }
    }

    private static Application app() {
        return Application.builder()
                .route("/get_argument", GetArgumentHandler::new)
                .route("/get_arguments", GetArgumentsHandler::new)
                .route("/required", () -> new RequestHandler() {
                    @Override
                    protected void get() {
                        write(getArgument("foo"));
                    }
                })
                .build();
    }

    @Test
    void getArgumentWithDefault() {
        run(() -> {
            serve(app());
            assertEquals("bar", fetch("/get_argument?foo=bar").body());
            assertEquals("", fetch("/get_argument?foo=").body());
            assertEquals("default", fetch("/get_argument").body());
            assertEquals("second", fetch("/get_argument?foo=first&foo=second").body());
        });
    }

    @Test
    void bodyBeatsQueryInTheSingularGetterAndPluralMerges() {
        run(() -> {
            serve(app());
            assertEquals("hello", postForm("/get_argument?foo=bar", "foo=hello").body());
            assertEquals("{\"default\":[\"bar\",\"hello\"],\"query\":[\"bar\"],\"body\":[\"hello\"]}",
                    postForm("/get_arguments?foo=bar", "foo=hello").body());
        });
    }

    @Test
    void queryArgumentsOnly() {
        run(() -> {
            serve(app());
            assertEquals("bar", postForm("/get_argument?source=query&foo=bar", "foo=hello").body());
            assertEquals("", postForm("/get_argument?source=query&foo=", "foo=hello").body());
            assertEquals("default", postForm("/get_argument?source=query", "foo=hello").body());
        });
    }

    @Test
    void bodyArgumentsOnly() {
        run(() -> {
            serve(app());
            assertEquals("bar", postForm("/get_argument?source=body&foo=hello", "foo=bar").body());
            assertEquals("", postForm("/get_argument?source=body&foo=hello", "foo=").body());
            assertEquals("default", postForm("/get_argument?source=body&foo=hello", "").body());
            // Not a form: the body holds no arguments.
            assertEquals("default", fetch("POST", "/get_argument?source=body", "foo=bar").body());
        });
    }

    @Test
    void missingArgumentGets400AndIsLogged() {
        run(() -> {
            serve(app());
            var response = fetch("/required");
            assertEquals(400, response.statusCode());
            assertEquals("<html><title>400: Bad Request</title><body>400: Bad Request<p>Missing argument foo</p></body></html>",
                    response.body());
            var lines = logs.matching(Level.WARN, "Missing argument foo"); // one line: the access log's
            assertEquals(1, lines.size());
            assertEquals("io.squall.web.access", lines.getFirst().getLoggerName());
            assertTrue(lines.getFirst().getFormattedMessage().startsWith("400 GET /required (127.0.0.1) "));
            assertTrue(lines.getFirst().getFormattedMessage().endsWith("ms: Missing argument foo"));
        });
    }

    @Test
    void missingArgumentErrorCanBeCaught() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    try {
                        getArgument("foo");
                        write(Map.of());
                    } catch (MissingArgumentError e) {
                        write(Map.of("arg_name", e.argumentName(), "log_message", e.logMessage()));
                    }
                }
            });
            assertEquals(Map.of("arg_name", "foo", "log_message", "Missing argument foo"),
                    new ObjectMapper().readValue(fetch("/").body(), Map.class));
        });
    }

    @Test
    void plusAndPercent20AreSpacesAndValuesAreCleaned() {
        run(() -> {
            serve(app());
            assertEquals("1 + 1", fetch("/get_argument?foo=1+%2B+1").body());
            assertEquals("1 + 1", fetch("/get_argument?foo=1%20%2B%201").body());
            assertEquals("a b", fetch("/get_argument?foo=%20%20a%01b%09").body());
            assertEquals("{\"default\":[\"a\",\"é\"],\"query\":[\"a\",\"é\"],\"body\":[]}",
                    fetch("/get_arguments?foo=+a+&foo=%C3%A9").body());
        });
    }

    @Test
    void invalidUtf8InQueryOrBodyGets400() {
        run(() -> {
            serve(app());
            assertEquals(400, fetch("/get_argument?foo=%FF").statusCode());
            assertEquals(400, postForm("/get_argument", "foo=%C3").statusCode());
            assertEquals(2, logs.matching(Level.WARN, "Invalid unicode in").size());
        });
    }

    record Order(String item, int quantity) {}

    @Test
    void jsonBodies() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void post() {
                    Order order = bodyAsJson(Order.class);
                    write(Map.of("item", order.item(), "total", order.quantity() * 2));
                }
            });
            var response = fetch("POST", "/", "{\"item\":\"tea\",\"quantity\":3}");
            assertEquals(200, response.statusCode());
            assertEquals(Map.of("item", "tea", "total", 6),
                    new ObjectMapper().readValue(response.body(), Map.class));
            assertEquals(400, fetch("POST", "/", "{not json").statusCode());
            assertEquals(400, fetch("POST", "/", "").statusCode());
            assertEquals(2, logs.matching(Level.WARN, "Invalid JSON body").size());
        });
    }

    @Test
    void largeBodiesArriveWhole() {
        String big = "x".repeat(300_000);
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void post() {
                    write(Integer.toString(request().body().length));
                }
            });
            assertEquals("300000", fetch("POST", "/", big).body());
            assertEquals(List.of(), logs.withStackTraces());
        });
    }
}
