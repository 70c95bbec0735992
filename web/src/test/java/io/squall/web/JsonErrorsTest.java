package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error responses a JSON client can read: {@code jsonErrors}, {@code Accept}, client messages. */
class JsonErrorsTest extends WebTestCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code /missing}: a 422 with a client message; {@code /broken}: a bug; {@code /secret}: a log-only 403. */
    private Application.Builder errors() {
        return Application.builder()
                .route("/missing", () -> new RequestHandler() {
                    @Override
                    protected void get() {
                        throw new HttpError(422, "client 42 sent no name", null, "name is required");
                    }
                })
                .route("/broken", () -> new RequestHandler() {
                    @Override
                    protected void get() {
                        throw new IllegalStateException("internal detail");
                    }
                })
                .route("/secret", () -> new RequestHandler() {
                    @Override
                    protected void get() {
                        throw new HttpError(403, "token of user 7 expired");
                    }
                });
    }

    private static Map<?, ?> json(java.net.http.HttpResponse<String> response) throws Exception {
        assertEquals("application/json; charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
        return JSON.readValue(response.body(), Map.class);
    }

    @Test
    void theSettingMakesEveryErrorJson() {
        expectErrors();
        run(() -> {
            serve(errors().jsonErrors(true).build());
            var missing = fetch("/missing");
            assertEquals(422, missing.statusCode());
            assertEquals(Map.of("status", 422, "error", "name is required"), json(missing));
            var notFound = fetch("/nowhere");
            assertEquals(404, notFound.statusCode());
            assertEquals(Map.of("status", 404, "error", "Not Found"), json(notFound));
            var broken = fetch("/broken");
            assertEquals(500, broken.statusCode());
            assertEquals(Map.of("status", 500, "error", "Internal Server Error"), json(broken)); // no detail
            var secret = fetch("/secret");
            assertEquals(Map.of("status", 403, "error", "Forbidden"), json(secret)); // the log message stays in the log
        });
    }

    @Test
    void acceptPreferringJsonGetsJsonOtherwiseHtml() {
        run(() -> {
            serve(errors().build());
            var api = send(request("/missing").header("Accept", "application/json").build());
            assertEquals(Map.of("status", 422, "error", "name is required"), json(api));
            var notFound = send(request("/nowhere").header("Accept", "text/html;q=0.5, application/json").build());
            assertEquals(Map.of("status", 404, "error", "Not Found"), json(notFound));
            var browser = send(request("/missing")
                    .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").build());
            assertEquals("<html><title>422: Unprocessable Content</title><body>422: Unprocessable Content"
                    + "<p>name is required</p></body></html>", browser.body());
            var refused = send(request("/nowhere").header("Accept", "application/json;q=0, */*").build());
            assertTrue(refused.body().startsWith("<html>"), refused.body());
            assertTrue(fetch("/nowhere").body().startsWith("<html>"), "no Accept: HTML as Tornado");
        });
    }

    @Test
    void anHttpErrorLogsOneLineWithItsLogMessage() {
        run(() -> {
            serve(errors().jsonErrors(true).build());
            assertEquals(403, fetch("/secret").statusCode());
            assertEquals(1, logs.atLeast(Level.WARN).size(), logs.atLeast(Level.WARN).toString());
            var line = logs.matching(Level.WARN, "token of user 7 expired").getFirst();
            assertEquals("io.squall.web.access", line.getLoggerName());
            assertTrue(line.getFormattedMessage().startsWith("403 GET /secret (127.0.0.1) "), line.getFormattedMessage());
        });
    }

    @Test
    void pythonRequestsReadsTheJsonError() {
        String python = requirePythonRequests();
        run(() -> {
            serve(errors().build());
            String output = runPython(python, """
                    import sys, requests
                    r = requests.get(sys.argv[1], headers={"Accept": "application/json"}, timeout=10)
                    print(r.status_code, r.headers["Content-Type"], r.json()["error"])
                    """, "http://127.0.0.1:" + port + "/missing");
            assertEquals("422 application/json; charset=UTF-8 name is required\n", output);
        });
    }
}
