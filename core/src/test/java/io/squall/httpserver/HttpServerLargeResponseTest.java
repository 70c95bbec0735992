package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.squall.http.HttpHeaders;
import io.squall.http.ResponseStartLine;
import io.squall.iostream.IOStreamOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Responses larger than the stream's write-buffer bound ({@link IOStreamOptions#DEFAULT_MAX_WRITE_BUFFER_SIZE},
 * 64 MiB) are sent whole, in slices that wait for the client to read: one body array of 200 MiB, and
 * 256 MiB written as pieces without waiting between them. A client on a real socket reads every byte;
 * the test compares the length and a checksum of what arrived with what was written.
 */
class HttpServerLargeResponseTest extends HttpServerTestCase {
    private static final ResponseStartLine OK = new ResponseStartLine("HTTP/1.1", 200, "OK");
    private static final int MIB = 1 << 20;

    /** What a client received: the status line, the body's length and its CRC-32C. */
    private record Received(String statusLine, long length, long crc) {}

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Sends a GET on a raw socket and reads the response: the head, then exactly Content-Length bytes. */
    private Received fetch() {
        return io(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(30_000); // a hung connection fails the test instead of hanging it
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
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
        });
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

    private static long crcOf(byte[] piece, int times) {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < times; i++) {
            crc.update(piece);
        }
        return crc.getValue();
    }

    @Test
    void aBodyArrayLargerThanTheWriteBufferGoesOutWhole() {
        byte[] body = randomBytes(200 * MIB, 1);
        run(() -> {
            startServer(exchange -> {
                HttpHeaders headers = new HttpHeaders().add("Content-Length", Integer.toString(body.length));
                exchange.connection().writeHeaders(OK, headers, ByteBuffer.wrap(body));
                exchange.connection().finish();
            });
            Received received = fetch();
            assertEquals("HTTP/1.1 200 OK", received.statusLine());
            assertEquals(body.length, received.length());
            assertEquals(crcOf(body, 1), received.crc());
        });
    }

    @Test
    void piecesWrittenWithoutWaitingBeyondTheWriteBufferGoOutInOrder() {
        byte[] piece = randomBytes(MIB, 2);
        int pieces = 256;
        run(() -> {
            startServer(exchange -> {
                HttpHeaders headers = new HttpHeaders().add("Content-Length", Long.toString((long) pieces * MIB));
                exchange.connection().writeHeaders(OK, headers, null);
                for (int i = 0; i < pieces; i++) {
                    exchange.connection().write(ByteBuffer.wrap(piece)); // the same array: no copy is held
                }
                exchange.connection().finish();
            });
            Received received = fetch();
            assertEquals("HTTP/1.1 200 OK", received.statusLine());
            assertEquals((long) pieces * MIB, received.length());
            assertEquals(crcOf(piece, pieces), received.crc());
        });
    }
}
