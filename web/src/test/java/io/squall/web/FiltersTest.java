package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Application-wide filters (before, beforeResponse, after) and exception mappers. */
class FiltersTest extends WebTestCase {
    /** Numbers requests, echoes the number in X-Request-Id, and records finished requests. */
    static final class RequestIds implements Filter {
        private int next;
        final List<String> finished = new ArrayList<>();

        @Override
        public void before(RequestHandler handler) {
            handler.setAttribute("requestId", "r" + ++next);
        }

        @Override
        public void beforeResponse(RequestHandler handler) {
            handler.setHeader("X-Request-Id", (String) handler.attribute("requestId"));
        }

        @Override
        public void after(RequestHandler handler) {
            finished.add(handler.attribute("requestId") + " " + handler.status());
        }
    }

    /** Refuses requests without a token; answers /health itself. */
    static final class Auth implements Filter {
        @Override
        public void before(RequestHandler handler) {
            if (handler.request().path().equals("/health")) {
                handler.finish("ok");
            } else if (!"secret".equals(handler.request().headers().get("X-Token"))) {
                throw HttpError.withMessage(401, "token required");
            }
        }
    }

    static final class Hello extends RequestHandler {
        @Override
        protected void prepare() {
            setAttribute("seen", "yes");
        }

        @Override
        protected void get() {
            write("hello " + attribute("requestId") + " " + attribute("seen"));
        }
    }

    @Test
    void filtersRunAroundEveryRequestErrorsIncluded() {
        RequestIds ids = new RequestIds();
        run(() -> {
            serve(Application.builder().filter(ids).filter(new Auth()).route("/", Hello::new).build());
            var ok = send(request("/").header("X-Token", "secret").build());
            assertEquals("hello r1 yes", ok.body());
            assertEquals("r1", ok.headers().firstValue("X-Request-Id").orElseThrow());
            var refused = fetch("/");
            assertEquals(401, refused.statusCode());
            assertTrue(refused.body().contains("<p>token required</p>"), refused.body());
            assertEquals("r2", refused.headers().firstValue("X-Request-Id").orElseThrow()); // on the error page too
            var health = fetch("/health"); // answered by the filter: no route needed
            assertEquals("ok", health.body());
            assertEquals("r3", health.headers().firstValue("X-Request-Id").orElseThrow());
            var unknown = send(request("/nowhere").header("X-Token", "secret").build());
            assertEquals(404, unknown.statusCode());
            assertEquals("r4", unknown.headers().firstValue("X-Request-Id").orElseThrow());
            assertEquals(List.of("r1 200", "r2 401", "r3 200", "r4 404"), ids.finished);
        });
    }

    @Test
    void exceptionMappersWriteErrorPagesOnce() {
        run(() -> {
            serve(Application.builder()
                    .exceptionMapper(HttpError.class, (handler, e) ->
                            handler.write(Map.of("problem", handler.status(), "detail", String.valueOf(e.clientMessage()))))
                    .exceptionMapper(NoSuchElementException.class, (handler, e) -> {
                        handler.setStatus(404);
                        handler.write(Map.of("missing", e.getMessage()));
                    })
                    .route("/gone", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            throw HttpError.withMessage(410, "moved away");
                        }
                    })
                    .route("/lookup", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            throw new NoSuchElementException("todo 9");
                        }
                    })
                    .build());
            var gone = fetch("/gone");
            assertEquals(410, gone.statusCode());
            assertEquals("{\"problem\":410,\"detail\":\"moved away\"}", sortedProblem(gone.body()));
            var notFound = fetch("/nowhere");
            assertEquals(404, notFound.statusCode());
            assertEquals("{\"problem\":404,\"detail\":\"null\"}", sortedProblem(notFound.body()));
            var lookup = fetch("/lookup");
            assertEquals(404, lookup.statusCode());
            assertEquals("{\"missing\":\"todo 9\"}", lookup.body());
            assertEquals(List.of(), logs.withStackTraces()); // mapped to a 4xx: not a bug
            var line = logs.matching(Level.WARN, "404 GET /lookup (127.0.0.1) ").getFirst().getFormattedMessage();
            assertTrue(line.endsWith("java.util.NoSuchElementException: todo 9"), line);
        });
    }

    @Test
    void aMapperThatAnswers5xxStillLogsTheStackTrace() {
        expectErrors();
        run(() -> {
            serve(Application.builder()
                    .exceptionMapper(RuntimeException.class, (handler, e) -> handler.write("sorry"))
                    .route("/", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            throw new IllegalStateException("bug");
                        }
                    })
                    .build());
            var response = fetch("/");
            assertEquals(500, response.statusCode());
            assertEquals("sorry", response.body());
            assertEquals(1, logs.withStackTraces().size());
        });
    }

    /** {@code {"problem":..,"detail":..}} in that order. */
    private static String sortedProblem(String json) throws Exception {
        Map<?, ?> map = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        return "{\"problem\":" + map.get("problem") + ",\"detail\":\"" + map.get("detail") + "\"}";
    }
}
