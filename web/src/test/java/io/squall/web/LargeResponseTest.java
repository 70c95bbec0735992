package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * A handler's response larger than the server's write-buffer bound (64 MiB) is served whole, and a
 * response that cannot be sent ends in a 500 or a close, never a hung connection; the access log says
 * which (issue #13: a 52 MB echo used to stop after {@code 100 Continue}).
 */
class LargeResponseTest extends WebTestCase {
    private static final int MIB = 1 << 20;

    /** What a raw client received: the status line, the body's length and its CRC-32C. */
    private record Received(String statusLine, long length, long crc) {}

    private List<String> accessLines() {
        return logs.events().stream().filter(e -> e.getLoggerName().equals("io.squall.web.access"))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    /** GETs {@code path} on a raw socket, reading the head and then exactly Content-Length bytes. */
    private Received rawGet(String path) {
        return await(loop.runInExecutor(null, () -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(30_000); // a hung connection fails the test instead of hanging it
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = socket.getInputStream();
                String head = readHead(in);
                long length = -1;
                for (String line : head.split("\r\n")) {
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Long.parseLong(line.substring(15).strip());
                    }
                }
                CRC32C crc = new CRC32C();
                byte[] buffer = new byte[256 * 1024];
                long received = 0;
                while (received < length) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - received));
                    if (n < 0) {
                        break;
                    }
                    crc.update(buffer, 0, n);
                    received += n;
                }
                return new Received(head.substring(0, head.indexOf("\r\n")), received, crc.getValue());
            }
        }));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aBodyOfTwoHundredMegabytesIsServedWhole() {
        byte[] body = new byte[200 * MIB];
        new Random(13).nextBytes(body);
        CRC32C expected = new CRC32C();
        expected.update(body);
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
            assertEquals(expected.getValue(), received.crc());
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
