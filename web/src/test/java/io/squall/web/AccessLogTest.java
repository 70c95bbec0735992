package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One access log line per request, in Tornado's format, at a level that follows the status. */
class AccessLogTest extends WebTestCase {
    private List<ILoggingEvent> accessLines() {
        return logs.events().stream().filter(e -> e.getLoggerName().equals("io.squall.web.access")).toList();
    }

    @Test
    void oneLinePerRequestWithLevelByStatus() {
        expectErrors();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    String status = getArgument("status", null);
                    if (status != null) {
                        throw new HttpError(Integer.parseInt(status));
                    }
                    write("ok");
                }
            });
            fetch("/?x=1");
            fetch("/?status=404");
            fetch("/?status=503");
            fetch("POST", "/", "");
            List<ILoggingEvent> lines = accessLines();
            assertEquals(4, lines.size(), lines.toString());
            String ok = lines.get(0).getFormattedMessage();
            assertTrue(ok.matches("200 GET /\\?x=1 \\(127\\.0\\.0\\.1\\) [0-9]+\\.[0-9]{2}ms"), ok);
            assertEquals(Level.INFO, lines.get(0).getLevel());
            assertTrue(lines.get(1).getFormattedMessage().startsWith("404 GET /?status=404 (127.0.0.1) "));
            assertEquals(Level.WARN, lines.get(1).getLevel());
            assertTrue(lines.get(2).getFormattedMessage().startsWith("503 GET /?status=503 (127.0.0.1) "));
            assertEquals(Level.ERROR, lines.get(2).getLevel());
            assertTrue(lines.get(3).getFormattedMessage().startsWith("405 POST / (127.0.0.1) "));
            assertEquals(Level.WARN, lines.get(3).getLevel());
        });
    }

    @Test
    void logFunctionReplacesTheLine() {
        List<String> seen = new ArrayList<>();
        run(() -> {
            serve(Application.builder()
                    .route("/", RoutingTest.HelloHandler::new)
                    .logFunction(handler -> seen.add(handler.status() + " " + handler.request().path()))
                    .build());
            fetch("/");
            fetch("/missing");
            assertEquals(List.of("200 /", "404 /missing"), seen);
            assertEquals(List.of(), accessLines());
        });
    }
}
