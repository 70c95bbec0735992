package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.net.TcpServer;
import io.squall.testing.AsyncTestCase;
import io.squall.testing.LogCapture;
import io.squall.testing.TestBytes;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the client tests: a client on the test's loop, web {@link Application}s and raw TCP servers (which
 * send exact bytes and record exact requests) on 127.0.0.1, all served from the test's loop.
 */
abstract class HttpClientTestCase extends AsyncTestCase {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    /** Every request a raw server received, head and raw body as ISO-8859-1 text, in arrival order. */
    protected final List<String> received = new ArrayList<>();
    /** Everything Squall logs during the test (kept off the console). */
    protected final LogCapture logs = LogCapture.start();
    private final List<IOStream> rawStreams = new ArrayList<>();
    private AsyncHttpClient client;

    /** Handles one request on a raw server connection, whose head (through the empty line) is already read. */
    @FunctionalInterface
    protected interface RawHandler {
        void handle(IOStream stream, String head) throws Exception;
    }

    /**
     * Answers every method with an {@code X-Method} header and, but for HEAD, a JSON object: {@code method},
     * {@code body} (as UTF-8) and {@code headers} (lower-case names, first values).
     */
    protected static class EchoHandler extends RequestHandler {
        @Override
        protected void prepare() {
            setHeader("X-Method", request().method());
            if (request().method().equals("HEAD")) {
                finish();
                return;
            }
            Map<String, String> headers = new TreeMap<>();
            request().headers().forEach((name, value) -> headers.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
            byte[] body = request().body();
            Map<String, Object> echo = new LinkedHashMap<>();
            echo.put("method", request().method());
            echo.put("body", body == null ? "" : new String(body, StandardCharsets.UTF_8));
            echo.put("headers", headers);
            write(echo);
            finish(); // in prepare(): the same answer for every method
        }
    }

    /**
     * {@code ?url=...&status=...}: redirects any method to {@code url} with {@code status} (302 by default),
     * with a body of its own, like Tornado's test {@code RedirectHandler}.
     */
    protected static class RedirectHandler extends RequestHandler {
        @Override
        protected void prepare() {
            write("redirects can have bodies too");
            redirect(getQueryArgument("url"), Integer.parseInt(getQueryArgument("status", "302")));
        }
    }

    @AfterEach
    void closeRawConnections() {
        rawStreams.forEach(IOStream::close);
        logs.close();
    }

    /** The test's client with default options, made on first use (inside {@link #run}). */
    protected AsyncHttpClient client() {
        if (client == null) {
            client = closeLater(AsyncHttpClient.create(loop, HttpClientOptions.DEFAULTS));
        }
        return client;
    }

    /** A new client on the test's loop with {@code options}, closed after the test. */
    protected AsyncHttpClient client(HttpClientOptions.Builder options) {
        return closeLater(AsyncHttpClient.create(loop, options.build()));
    }

    /** Serves {@code app} on 127.0.0.1 (inside {@link #run}); returns its base URL, {@code http://127.0.0.1:port}. */
    protected String serve(Application app) {
        closeLater(app);
        return "http://127.0.0.1:" + app.listen(0, "127.0.0.1");
    }

    /** Serves {@code handler} at {@code path}; see {@link #serve(Application)}. */
    protected String serve(String path, Supplier<? extends RequestHandler> handler) {
        return serve(Application.builder().route(path, handler).build());
    }

    /**
     * Serves raw HTTP on 127.0.0.1 (inside {@link #run}): on each connection, reads request heads one after
     * another and hands each to {@code handler}, until either side closes. Returns the base URL.
     */
    protected String rawServer(RawHandler handler) {
        TcpServer server = closeLater(new TcpServer((stream, address) -> {
            rawStreams.add(stream);
            try {
                while (!stream.isClosed()) {
                    handler.handle(stream, TestBytes.str(await(stream.readUntil(HEAD_END, 1 << 20))));
                }
            } catch (StreamClosedError e) {
                // the client went away
            }
        }));
        return "http://127.0.0.1:" + server.listen(0, "127.0.0.1");
    }

    /**
     * A raw server that reads each request (recording it in {@link #received}), writes {@code packets} one
     * write at a time, then closes the connection.
     */
    protected String answering(byte[]... packets) {
        return rawServer((stream, head) -> {
            received.add(head + readBody(stream, head));
            for (byte[] packet : packets) {
                await(stream.write(packet));
            }
            stream.close();
        });
    }

    /** {@link #answering(byte[]...)} with ISO-8859-1 text. */
    protected String answering(String... packets) {
        return answering(Arrays.stream(packets).map(TestBytes::bytes).toArray(byte[][]::new));
    }

    /** A raw server that answers every request with {@code response} and keeps the connection open. */
    protected String answeringKeepAlive(String response) {
        return rawServer((stream, head) -> {
            received.add(head + readBody(stream, head));
            await(stream.write(TestBytes.bytes(response)));
        });
    }

    /** A response head and body: {@code HTTP/1.1 200 OK}, {@code headers} (each with CRLF), the empty line, the body. */
    protected static byte[] response(String headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TestBytes.bytes("HTTP/1.1 200 OK\r\n" + headers + "\r\n"));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /**
     * Reads the body of the request whose head is {@code head}, as its Content-Length or chunked framing
     * says, and returns it raw (chunk framing included) as ISO-8859-1 text.
     */
    protected static String readBody(IOStream stream, String head) {
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (length.find()) {
            return TestBytes.str(await(stream.readBytes(Integer.parseInt(length.group(1)))));
        }
        if (head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked\r\n")) {
            return TestBytes.str(await(stream.readUntil(TestBytes.bytes("0\r\n\r\n"), 1 << 20)));
        }
        return "";
    }

    /** The value of {@code name} in a recorded request {@code head}, or null (the first if repeated). */
    protected static String headerIn(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** Awaits {@code fetch} (inside {@link #run}) and asserts that it fails with {@code type}. */
    protected static <T extends Throwable> T assertFetchFails(Class<T> type, Future<?> fetch) {
        return assertThrows(type, () -> await(fetch));
    }

    /** Asserts that {@code fetch} fails with a {@link ResponseTooLargeException} in {@code phase}. */
    protected static ResponseTooLargeException assertTooLarge(FetchPhase phase, Future<?> fetch) {
        ResponseTooLargeException e = assertFetchFails(ResponseTooLargeException.class, fetch);
        assertEquals(phase, e.phase(), e.toString());
        return e;
    }

    /** {@code body} in chunked framing, in chunks of {@code size} bytes, with the last chunk. */
    protected static byte[] chunked(byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += size) {
            int n = Math.min(size, body.length - i);
            out.writeBytes(TestBytes.bytes(Integer.toHexString(n) + "\r\n"));
            out.write(body, i, n);
            out.writeBytes(TestBytes.bytes("\r\n"));
        }
        out.writeBytes(TestBytes.bytes("0\r\n\r\n"));
        return out.toByteArray();
    }

    /** {@code text} as UTF-8. */
    protected static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
