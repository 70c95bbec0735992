package io.squall.httpserver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client over a blocking socket, for wire-level server tests: it sends exactly the bytes
 * it is given and reads responses strictly (CRLF line ends, framing by the response's own headers).
 * Every read gives up after {@link #TIMEOUT_MILLIS}, failing the test. Blocking: call it from an
 * executor thread, never from the server's loop.
 */
final class WireClient implements AutoCloseable {
    /** How long one read may wait for the server. */
    static final int TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final BufferedInputStream in;
    private final OutputStream out;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port}. */
    static WireClient connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            return new WireClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code text} as ISO-8859-1 bytes, in one write. */
    WireClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code bytes} in one write. */
    WireClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Closes the sending direction (a half-close: the server reads the end of stream). */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one response to a request that was not HEAD. */
    Response readResponse() throws IOException {
        return readResponse(false);
    }

    /**
     * Reads one response: status line, headers and body as the response frames it (none for a HEAD
     * request, 1xx, 204 and 304; chunked; Content-Length; or until the connection closes).
     */
    Response readResponse(boolean toHead) throws IOException {
        String statusLine = readLine();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2) {
            throw new AssertionError("malformed status line: " + statusLine);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new AssertionError("malformed header line: " + line);
            }
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        Response head = new Response(parts[0], Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "",
                headers, new byte[0]);
        int status = head.status();
        if (toHead || status / 100 == 1 || status == 204 || status == 304) {
            return head;
        }
        byte[] body;
        String transferEncoding = head.header("Transfer-Encoding");
        String length = head.header("Content-Length");
        if (transferEncoding != null) {
            if (!transferEncoding.equalsIgnoreCase("chunked")) {
                throw new AssertionError("unexpected Transfer-Encoding: " + transferEncoding);
            }
            body = readChunked();
        } else if (length != null) {
            body = readExactly(Integer.parseInt(length));
        } else {
            body = readUntilCloseBytes();
        }
        return new Response(head.version(), status, head.reason(), headers, body);
    }

    /** Everything the server sends until it closes the connection, as ISO-8859-1 text. */
    String readUntilClose() throws IOException {
        return new String(readUntilCloseBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Fails unless the server closes the connection (cleanly, with nothing more sent) within the timeout. */
    void assertClosed() throws IOException {
        String rest = readUntilClose();
        if (!rest.isEmpty()) {
            throw new AssertionError("expected the connection to close, but received: " + rest);
        }
    }

    private byte[] readUntilCloseBytes() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + TIMEOUT_MILLIS
                    + " ms; received " + all.size() + " bytes: " + all.toString(StandardCharsets.ISO_8859_1), e);
        }
        return all.toByteArray();
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int size = Integer.parseInt(sizeLine, 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: none expected, tolerated
                }
                return body.toByteArray();
            }
            body.writeBytes(readExactly(size));
            if (!readLine().isEmpty()) {
                throw new AssertionError("chunk data not followed by CRLF");
            }
        }
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("connection closed after " + bytes.length + " of " + n + " body bytes");
        }
        return bytes;
    }

    /** One CRLF-terminated line without its CRLF; a bare LF fails the test. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\r') {
                    throw new AssertionError("line not ended by CRLF: " + line.toString(StandardCharsets.ISO_8859_1));
                }
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        throw new EOFException("connection closed in the middle of a response line: \""
                + line.toString(StandardCharsets.ISO_8859_1) + '"');
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * A response as read off the wire.
     *
     * @param version the status line's version
     * @param status the status code
     * @param reason the reason phrase
     * @param headers the header lines in order, names as sent
     * @param body the (de-chunked) body
     */
    record Response(String version, int status, String reason, List<Map.Entry<String, String>> headers,
                    byte[] body) {
        /** The first value of {@code name} (any case), or null. */
        String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : values.getFirst();
        }

        /** Every value of {@code name} (any case), in order. */
        List<String> headers(String name) {
            String key = name.toLowerCase(Locale.ROOT);
            return headers.stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(key))
                    .map(Map.Entry::getValue).toList();
        }

        /** The body as UTF-8 text. */
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return version + " " + status + " " + reason + " " + headers + " (" + body.length + " body bytes)";
        }
    }
}
