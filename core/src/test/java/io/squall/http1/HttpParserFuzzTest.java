package io.squall.http1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http.RequestStartLine;
import io.squall.http.ResponseStartLine;
import io.squall.http.syntax.HttpSyntax;
import io.squall.httpserver.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuzz tests of the HTTP/1 parsers (Jazzer). In a normal test run they replay, in regression mode, the inputs
 * committed under {@code src/test/resources/io/squall/http1/HttpParserFuzzTestInputs/<method>/};
 * {@code bench/scripts/fuzz.sh} fuzzes them for real. Every target checks properties, not only the absence
 * of a crash: the only exception is an {@link HttpInputException} with the documented status; what is
 * accepted obeys the grammar (tokens, no control characters, one Host, framing); a parsed head written out
 * again parses to the same head; the Content-Length rules match an independent reading of RFC 9110 §8.6; a
 * chunked body decodes the same however its bytes are split, and encoding then decoding gives the body back.
 */
class HttpParserFuzzTest {
    private static final int MAX_HEADER_SIZE = 8192;
    private static final HttpParser PARSER = new HttpParser(MAX_HEADER_SIZE);

    @FuzzTest(maxDuration = "60s")
    void requestHead(byte[] input) {
        ParsedRequestHead head;
        try {
            head = PARSER.parseRequestHead(input);
        } catch (HttpInputException e) {
            assertErrorStatus(e, Set.of(400, 431, 505));
            return;
        }
        assertTrue(input.length <= MAX_HEADER_SIZE, "accepted a head over the size limit");
        assertFalse(containsBareLf(input), "accepted a bare LF in a request");
        RequestStartLine line = head.startLine();
        assertTrue(isToken(line.method()), "method is not a token: " + line.method());
        assertTrue(!line.target().isEmpty() && line.target().chars().allMatch(c -> c > 0x20 && c < 0x7F),
                "target with a character outside visible ASCII: " + line.target());
        assertTrue(Set.of("HTTP/1.0", "HTTP/1.1").contains(line.version()), line.version());
        assertFieldsValid(head.headers());
        int hosts = head.headers().getAll("Host").size();
        assertTrue(hosts <= 1 && (hosts == 1 || line.version().equals("HTTP/1.0")), "Host count " + hosts);
        switch (head.framing()) {
            case BodyFraming.Chunked c -> assertTrue(head.headers().getAll("Content-Length").isEmpty(),
                    "chunked with a Content-Length");
            case BodyFraming.ContentLength(long length) -> assertFalse(head.headers().contains("Transfer-Encoding"));
            case BodyFraming.None n -> assertFalse(head.headers().contains("Transfer-Encoding"));
            case BodyFraming.UntilClose u -> fail("a request body framed by the close");
        }
        head.keepAlive();
        HttpServerRequest request = new HttpServerRequest(null, line, head.headers());
        assertTrue(request.path().startsWith("/") || line.target().startsWith(request.path()),
                "path " + request.path() + " of " + line.target());
        request.hostName();
        request.fullUrl();
        ParsedRequestHead again = PARSER.parseRequestHead(serialize(line.toString(), head.headers()));
        assertEquals(line, again.startLine(), "request line after a round trip");
        assertEquals(head.headers().entries(), again.headers().entries(), "headers after a round trip");
        assertEquals(head.framing(), again.framing(), "framing after a round trip");
    }

    @FuzzTest(maxDuration = "60s")
    void responseHead(byte[] input) {
        String method = input.length % 3 == 0 ? "HEAD" : input.length % 3 == 1 ? "GET" : "CONNECT";
        ParsedResponseHead head;
        try {
            head = PARSER.parseResponseHead(input, method);
        } catch (HttpInputException e) {
            assertErrorStatus(e, Set.of(502));
            return;
        }
        assertTrue(input.length <= MAX_HEADER_SIZE, "accepted a head over the size limit");
        ResponseStartLine line = head.startLine();
        assertTrue(line.version().matches("HTTP/1\\.[0-9]"), line.version());
        assertTrue(line.code() >= 100 && line.code() <= 999, "status " + line.code());
        assertTrue(line.reason().chars().allMatch(c -> HttpSyntax.isFieldValueByte(c)), "reason " + line.reason());
        assertFieldsValid(head.headers());
        int code = line.code();
        if (method.equals("HEAD") || code < 200 || code == 204 || code == 304
                || method.equals("CONNECT") && code < 300) {
            assertEquals(BodyFraming.NONE, head.framing(), "a response that cannot have a body");
        }
        if (head.framing() instanceof BodyFraming.UntilClose) {
            assertFalse(head.keepAlive(), "keep-alive with a body framed by the close");
        }
        head.isInterim();
        ParsedResponseHead again = PARSER.parseResponseHead(serialize(line.toString(), head.headers()), method);
        assertEquals(line, again.startLine(), "status line after a round trip");
        assertEquals(head.headers().entries(), again.headers().entries(), "headers after a round trip");
        assertEquals(head.framing(), again.framing(), "framing after a round trip");
    }

    /**
     * A request with fuzzed Content-Length and Transfer-Encoding fields: the parser's framing (or error) must
     * be the one an independent reading of RFC 9112 §6 and RFC 9110 §8.6 gives.
     */
    @FuzzTest(maxDuration = "60s")
    void bodyFraming(FuzzedDataProvider data) {
        String method = data.pickValue(new String[] {"GET", "POST", "CONNECT"});
        List<String> contentLengths = new ArrayList<>();
        List<String> transferEncodings = new ArrayList<>();
        StringBuilder head = new StringBuilder(method)
                .append(method.equals("CONNECT") ? " example.com:443" : " /").append(" HTTP/1.1\r\nHost: a\r\n");
        int fields = data.consumeInt(0, 4);
        for (int i = 0; i < fields; i++) {
            boolean te = data.consumeBoolean();
            String value = printable(data.consumeString(24));
            (te ? transferEncodings : contentLengths).add(value.strip());
            head.append(te ? "Transfer-Encoding: " : "Content-Length: ").append(value).append("\r\n");
        }
        head.append("\r\n");
        BodyFraming expected = expectedFraming(method, contentLengths, transferEncodings);
        try {
            BodyFraming framing = PARSER.parseRequestHead(head.toString().getBytes(StandardCharsets.ISO_8859_1)).framing();
            assertEquals(expected, framing, "framing of " + head);
        } catch (HttpInputException e) {
            assertErrorStatus(e, Set.of(400));
            assertNull(expected, () -> "rejected " + head + " (" + e.getMessage() + ")");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void chunkedBody(FuzzedDataProvider data) {
        int maxBody = data.consumeInt(0, 1 << 16);
        int step = data.consumeInt(1, 64);
        byte[] input = data.consumeRemainingAsBytes();
        Decoded whole = decode(input, input.length, maxBody);
        Decoded split = decode(input, step, maxBody);
        assertEquals(whole.status, split.status, "error status, whole vs split by " + step);
        assertEquals(whole.used, split.used, "bytes used, whole vs split by " + step);
        assertArrayEquals(whole.body, split.body, "body, whole vs split by " + step);
        assertTrue(whole.body.length <= maxBody, "body over the limit");
    }

    /** A body written in chunks of fuzzed sizes, with extensions and trailers, decodes to itself. */
    @FuzzTest(maxDuration = "60s")
    void chunkedRoundTrip(FuzzedDataProvider data) {
        byte[] body = data.consumeBytes(data.consumeInt(0, 4096));
        boolean extensions = data.consumeBoolean();
        boolean trailer = data.consumeBoolean();
        int step = data.consumeInt(1, 97);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int n = Math.min(body.length - at, data.consumeInt(1, 512));
            String size = Integer.toHexString(n);
            wire.writeBytes((data.consumeBoolean() ? size.toUpperCase() : size).getBytes(StandardCharsets.US_ASCII));
            if (extensions) {
                wire.writeBytes(" ; ext=\"a;b\";flag".getBytes(StandardCharsets.US_ASCII));
            }
            wire.writeBytes(new byte[] {'\r', '\n'});
            wire.write(body, at, n);
            wire.writeBytes(new byte[] {'\r', '\n'});
            at += n;
        }
        wire.writeBytes(("0\r\n" + (trailer ? "Checksum: x\r\n" : "") + "\r\nNEXT").getBytes(StandardCharsets.US_ASCII));
        byte[] input = wire.toByteArray();
        Decoded decoded = decode(input, step, body.length);
        assertEquals(0, decoded.status, "error decoding a well-formed body");
        assertArrayEquals(body, decoded.body, "body after a round trip");
        assertEquals(input.length - "NEXT".length(), decoded.used, "bytes used (the next message must be left)");
    }

    /** What decoding produced: the body, the bytes used and the error status (0 if none). */
    private record Decoded(byte[] body, int used, int status) {}

    private static Decoded decode(byte[] input, int step, int maxBody) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ChunkedDecoder decoder = new ChunkedDecoder(maxBody, 256, (ByteBuffer b) -> {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            body.writeBytes(bytes);
        });
        int used = 0;
        try {
            while (used < input.length && !decoder.isDone()) {
                int n = Math.min(step, input.length - used);
                int consumed = decoder.feed(input, used, n);
                assertTrue(consumed == n || decoder.isDone(), "partial consumption before the end");
                used += consumed;
            }
            if (decoder.isDone()) {
                assertEquals(decoder.bodySize(), body.size(), "bodySize() vs the bytes handed out");
                assertFieldsValid(decoder.trailers());
            }
            return new Decoded(body.toByteArray(), decoder.isDone() ? used : -1, 0);
        } catch (HttpInputException e) {
            assertErrorStatus(e, Set.of(400, 413, 431));
            return new Decoded(body.toByteArray(), -1, e.status());
        }
    }

    /**
     * The framing RFC 9112 §6.1–6.3 gives a request, or null for a 400: a Transfer-Encoding must be a single
     * {@code chunked} with no Content-Length (and no CONNECT); each Content-Length a list of equal
     * decimal numbers that fit a long; a CONNECT request has no content.
     */
    private static BodyFraming expectedFraming(String method, List<String> contentLengths, List<String> codings) {
        boolean connect = method.equals("CONNECT");
        if (!codings.isEmpty()) {
            boolean ok = contentLengths.isEmpty() && codings.size() == 1
                    && codings.getFirst().equalsIgnoreCase("chunked") && !connect;
            return ok ? BodyFraming.CHUNKED : null;
        }
        if (contentLengths.isEmpty()) {
            return BodyFraming.NONE;
        }
        BigInteger length = null;
        for (String value : contentLengths) {
            for (String element : value.split(",", -1)) {
                String digits = element.strip();
                if (!digits.matches("[0-9]+")) {
                    return null;
                }
                BigInteger n = new BigInteger(digits);
                if (n.bitLength() > 63 || length != null && !length.equals(n)) {
                    return null;
                }
                length = n;
            }
        }
        if (connect) {
            return length.signum() == 0 ? BodyFraming.NONE : null;
        }
        return new BodyFraming.ContentLength(length.longValueExact());
    }

    /** {@code s} with each character mapped into printable ASCII (space to tilde). */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> out.append((char) (0x20 + Math.floorMod(c, 0x5F))));
        return out.toString();
    }

    /** The head {@code startLine CRLF (name: value CRLF)* CRLF}. */
    private static byte[] serialize(String startLine, HttpHeaders headers) {
        StringBuilder out = new StringBuilder(startLine).append("\r\n");
        headers.forEach((name, value) -> out.append(name).append(": ").append(value).append("\r\n"));
        return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Names are tokens; values hold no control character but HTAB and no whitespace at either end. */
    private static void assertFieldsValid(HttpHeaders headers) {
        headers.forEach((name, value) -> {
            assertTrue(isToken(name), "header name is not a token: " + name);
            assertTrue(value.chars().allMatch(HttpSyntax::isFieldValueByte), "control character in " + name);
            assertTrue(value.isEmpty() || !HttpSyntax.isWhitespace(value.charAt(0))
                    && !HttpSyntax.isWhitespace(value.charAt(value.length() - 1)), "untrimmed value of " + name);
        });
    }

    private static boolean isToken(String s) {
        return !s.isEmpty() && s.chars().allMatch(HttpSyntax::isTchar);
    }

    private static boolean containsBareLf(byte[] input) {
        for (int i = 0; i < input.length; i++) {
            if (input[i] == '\n' && (i == 0 || input[i - 1] != '\r')) {
                return true;
            }
        }
        return false;
    }

    private static void assertErrorStatus(HttpInputException e, Set<Integer> documented) {
        assertTrue(documented.contains(e.status()), "undocumented status " + e.status() + ": " + e);
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "error without a message");
    }
}
