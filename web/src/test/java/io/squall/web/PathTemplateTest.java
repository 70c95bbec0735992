package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Path templates ({@code /todos/{id}}) beside regex routes, and typed path and query arguments. */
class PathTemplateTest extends WebTestCase {
    enum Color { RED, GREEN }

    /** Writes its typed arguments. */
    static final class TodoHandler extends RequestHandler {
        @Override
        protected void get() {
            long id = pathArgument("id", long.class);
            int limit = queryArgument("limit", int.class, 10);
            boolean done = argument("done", boolean.class, false);
            write(Map.of("id", id, "limit", limit, "done", done));
        }
    }

    @Test
    void templatesBecomeNamedGroupsWithQuotedLiterals() {
        assertNull(PathTemplate.parse("/user/([0-9]+)"));
        assertNull(PathTemplate.parse("/a{2,3}"));
        assertNull(PathTemplate.parse("/literal\\{brace}"));
        PathTemplate t = PathTemplate.parse("/todos/{id:\\d{1,4}}/tags.{tag}");
        assertEquals("\\Q/todos/\\E(?<id>\\d{1,4})\\Q/tags.\\E(?<tag>[^/]+)", t.regex());
        assertEquals(java.util.List.of("/todos/", "/tags.", ""), t.literals());
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/x/{id"));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/x/{user_id}"));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/x/{a}/{a}"));
        assertThrows(IllegalArgumentException.class, () -> Route.of("/x/{a:(\\d+)}", TodoHandler::new));
    }

    @Test
    void templateRoutesMatchAndReverse() {
        Route route = Route.of("/todos/{id:\\d+}/tags.{tag}", TodoHandler::new, "tag");
        assertTrue(route.pattern().matcher("/todos/12/tags.a b").matches());
        assertEquals(false, route.pattern().matcher("/todos/12/tagsXa").matches()); // "." is literal
        assertEquals(false, route.pattern().matcher("/todos/x/tags.a").matches());
        assertEquals("/todos/12/tags.a%20b", route.reverse(12, "a b"));
    }

    @Test
    void typedArgumentsConvertAndABadValueIs400() {
        run(() -> {
            serve(Application.builder()
                    .route("/todos/{id}", TodoHandler::new)
                    .route("/strict/{id:\\d+}", TodoHandler::new)
                    .route("/re/(?<id>[^/]+)", TodoHandler::new)
                    .build());
            assertEquals("{\"id\":42,\"limit\":10,\"done\":false}", sorted(fetch("/todos/42").body()));
            assertEquals("{\"id\":7,\"limit\":3,\"done\":true}", sorted(fetch("/re/7?limit=3&done=on").body()));
            var notANumber = send(request("/todos/abc").header("Accept", "application/json").build());
            assertEquals(400, notANumber.statusCode());
            assertEquals("{\"status\":400,\"error\":\"Invalid path argument id: not a long\"}", notANumber.body());
            assertEquals(400, fetch("/todos/1?limit=many").statusCode());
            assertEquals(400, fetch("/todos/99999999999999999999").statusCode());
            assertEquals(404, fetch("/strict/abc").statusCode()); // the template's regex refuses it
            assertEquals(200, fetch("/strict/5").statusCode());
            assertEquals(3, logs.matching(Level.WARN, "Invalid ").size());
            assertEquals(java.util.List.of(), logs.withStackTraces());
        });
    }

    @Test
    void conversions() {
        UUID uuid = UUID.randomUUID();
        assertEquals(uuid, ArgumentConverter.convert(uuid.toString(), UUID.class));
        assertEquals(LocalDate.of(2026, 12, 7), ArgumentConverter.convert("2026-12-07", LocalDate.class));
        assertEquals(Color.GREEN, ArgumentConverter.convert("green", Color.class));
        assertEquals(1.5, ArgumentConverter.convert("1.5", double.class));
        assertEquals(-3, ArgumentConverter.convert("-3", Integer.class));
        for (String bad : new String[] {"NaN", "Infinity", "0x10", "1d", ""}) {
            assertThrows(IllegalArgumentException.class, () -> ArgumentConverter.convert(bad, double.class), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ArgumentConverter.convert("blue", Color.class));
        assertThrows(IllegalArgumentException.class, () -> ArgumentConverter.convert("maybe", boolean.class));
        assertThrows(UnsupportedOperationException.class, () -> ArgumentConverter.convert("x", Object.class));
    }

    /** The JSON object {@code json} with the members in the order id, limit, done. */
    private static String sorted(String json) throws Exception {
        Map<?, ?> map = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        return "{\"id\":" + map.get("id") + ",\"limit\":" + map.get("limit") + ",\"done\":" + map.get("done") + "}";
    }
}
