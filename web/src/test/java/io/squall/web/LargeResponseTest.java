package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.squall.testing.RawHttpClient;
import io.squall.testing.RawHttpClient.Received;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A handler's response larger than the server's write-buffer bound (64 MiB) is served whole, and a
 * response that cannot be sent ends in a 500 or a close, never a hung connection; the access log says
 * which (issue #13: a 52 MB echo used to stop after {@code 100 Continue}).
 */
class LargeResponseTest extends WebTestCase {
    private static final int MIB = 1 << 20;

    private List<String> accessLines() {
        return logs.events().stream().filter(e -> e.getLoggerName().equals("io.squall.web.access"))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    private Received rawGet(String path) {
        return await(loop.runInExecutor(null, () -> RawHttpClient.get(port, path)));
    }

    @Test
    void aBodyOfTwoHundredMegabytesIsServedWhole() {
        byte[] body = new byte[200 * MIB];
        new Random(13).nextBytes(body);
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    finish(body);
                }
            });
            Received received = rawGet("/");
            assertEquals("HTTP/1.1 200 OK", received.statusLine());
            assertEquals(body.length, received.length());
            assertEquals(RawHttpClient.crcOf(body, 1), received.crc());
            assertTrue(accessLines().getFirst().startsWith("INFO 200 GET / "), accessLines().toString());
        });
    }

    @Test
    void aResponseRefusedBeforeItsHeadWentOutBecomesA500() {
        expectErrors();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setHeader("Content-Length", "not a number");
                    write("never sent");
                }
            });
            HttpResponse<String> response = fetch("/");
            assertEquals(500, response.statusCode());
            List<String> lines = accessLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.getFirst().startsWith("ERROR 500 GET / "), lines.toString());
            assertTrue(logs.count(Level.ERROR, "Uncaught exception") >= 1);
        });
    }

    @Test
    void aResponseThatCannotFinishAfterItsHeadClosesTheConnection() {
        expectErrors();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setHeader("Content-Length", "5");
                    await(flush()); // the head is out
                    write("more than five bytes");
                }
            });
            Received received = rawGet("/");
            assertEquals("HTTP/1.1 200 OK", received.statusLine());
            assertEquals(0, received.length(), "nothing but the head, then the close");
            List<String> lines = accessLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.getFirst().contains("response cut off"), lines.toString());
        });
    }
}
