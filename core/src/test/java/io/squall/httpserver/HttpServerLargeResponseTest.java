package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.squall.http.HttpHeaders;
import io.squall.http.ResponseStartLine;
import io.squall.iostream.IOStreamOptions;
import io.squall.testing.RawHttpClient;
import io.squall.testing.RawHttpClient.Received;
import java.nio.ByteBuffer;
import java.util.Random;
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

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Received fetch() {
        return io(() -> RawHttpClient.get(port, "/"));
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
            assertEquals(RawHttpClient.crcOf(body, 1), received.crc());
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
            assertEquals(RawHttpClient.crcOf(piece, pieces), received.crc());
        });
    }
}
