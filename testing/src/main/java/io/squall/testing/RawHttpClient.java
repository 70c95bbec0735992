package io.squall.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * A blocking HTTP/1.1 GET on a plain socket that reads a response body of any size without keeping it:
 * it counts the bytes and checksums them (CRC-32C) as they arrive, for tests of very large responses.
 * Run it off the loop (an executor thread).
 */
public final class RawHttpClient {
    /** How long a read may wait: a hung connection fails the test instead of hanging it. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    /** What arrived: the status line, the body's length and its CRC-32C. */
    public record Received(String statusLine, long length, long crc) {}

    private RawHttpClient() {}

    /** GETs {@code path} from 127.0.0.1:{@code port}, reading the head and then exactly Content-Length bytes (fewer if the server closes first). */
    public static Received get(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
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
    }

    /** The CRC-32C of {@code piece} repeated {@code times} times. */
    public static long crcOf(byte[] piece, int times) {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < times; i++) {
            crc.update(piece);
        }
        return crc.getValue();
    }

    /** Reads a message head from {@code in} up to and including its empty line, as ISO-8859-1 text. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
