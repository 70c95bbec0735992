package io.squall.http1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random-mutation property tests: 100,000 mutants of well-formed messages per parser, the same in
 * every run. They complement {@link HttpParserFuzzTest}, whose coverage-guided mode cannot instrument Java 25
 * classes with Jazzer 0.24, by exploring inputs in the normal test run. Properties: only
 * {@link HttpInputException} (4xx/5xx) escapes; an accepted head, written back out, parses to the same head;
 * a chunked body decodes the same whichever way its bytes are split.
 */
class HttpParserMutationTest {
    private static final int MUTANTS = 100_000;
    private static final HttpParser PARSER = new HttpParser(4096);
    private static final byte[] INTERESTING = bytes("\r\n \t:;,=\"\\0fF-+/*%@[]\u0000\u007f\u0080\u00ff");

    private static final List<byte[]> REQUESTS = List.of(
            bytes("GET /index.html?x=1&y=%20 HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\n\r\n"),
            bytes("POST /up HTTP/1.1\r\nHost: [::1]\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"),
            bytes("\r\nPUT /x HTTP/1.0\r\nContent-Length: 5, 5\r\nX-Obs: caf\u00e9\r\n\r\n"),
            bytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
            bytes("OPTIONS * HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    private static final List<byte[]> RESPONSES = List.of(
            bytes("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nSet-Cookie: a=b\r\n\r\n"),
            bytes("HTTP/1.0 301 Moved Permanently\nLocation: /x\n  continued\n\n"),
            bytes("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"),
            bytes("HTTP/1.1 100 Continue\r\n\r\n"),
            bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"));
    private static final List<byte[]> CHUNKED = List.of(
            bytes("5\r\nhello\r\n6;ext=\"q \\\" v\"\r\n world\r\n0\r\nTrailer-A: 1\r\n\r\nGET"),
            bytes("a\r\n0123456789\r\n0\r\n\r\n"),
            bytes("1;a;b=c\r\nx\r\n00\r\nX: y\r\nZ:\r\n\r\n"));

    @Test
    void requestHeadMutants() {
        Random random = new Random(0x5EED_0001L);
        int accepted = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] input = mutate(random, REQUESTS);
            try {
                ParsedRequestHead head = PARSER.parseRequestHead(input);
                accepted++;
                ParsedRequestHead again = PARSER.parseRequestHead(write(head.startLine().toString(), head.headers()));
                assertEquals(head.startLine(), again.startLine(), () -> show(input));
                assertEquals(head.headers().entries(), again.headers().entries(), () -> show(input));
                assertEquals(head.framing(), again.framing(), () -> show(input));
                assertEquals(head.keepAlive(), again.keepAlive(), () -> show(input));
            } catch (HttpInputException e) {
                assertErrorStatus(e, input);
            }
        }
        assertEnoughAccepted(accepted);
    }

    @Test
    void responseHeadMutants() {
        Random random = new Random(0x5EED_0002L);
        int accepted = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] input = mutate(random, RESPONSES);
            String method = random.nextInt(4) == 0 ? "HEAD" : "GET";
            try {
                ParsedResponseHead head = PARSER.parseResponseHead(input, method);
                accepted++;
                ParsedResponseHead again = PARSER.parseResponseHead(write(head.startLine().toString(), head.headers()),
                        method);
                assertEquals(head.startLine(), again.startLine(), () -> show(input));
                assertEquals(head.headers().entries(), again.headers().entries(), () -> show(input));
                assertEquals(head.framing(), again.framing(), () -> show(input));
            } catch (HttpInputException e) {
                assertErrorStatus(e, input);
            }
        }
        assertEnoughAccepted(accepted);
    }

    @Test
    void chunkedBodyMutants() {
        Random random = new Random(0x5EED_0003L);
        int accepted = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] input = mutate(random, CHUNKED);
            int maxBody = random.nextInt(40);
            Decoded whole = decode(input, input.length, maxBody);
            Decoded split = decode(input, 1 + random.nextInt(8), maxBody);
            assertEquals(whole.status(), split.status(), () -> show(input));
            assertEquals(whole.used(), split.used(), () -> show(input));
            assertArrayEquals(whole.body(), split.body(), () -> show(input));
            assertEquals(whole.trailers(), split.trailers(), () -> show(input));
            assertTrue(whole.body().length <= maxBody, () -> show(input));
            if (whole.used() >= 0) {
                accepted++;
            }
        }
        assertEnoughAccepted(accepted);
    }

    /** Guards against mutants so broken that the properties about accepted input never get exercised. */
    private static void assertEnoughAccepted(int accepted) {
        assertTrue(accepted >= MUTANTS / 50, "only " + accepted + " of " + MUTANTS + " mutants were accepted");
    }

    /** Worst cases for a parser that is not linear: they must still take a blink. */
    @Test
    void pathologicalInputsStayFast() {
        HttpParser parser = new HttpParser(1 << 20);
        byte[] manyHeaders = bytes("GET / HTTP/1.1\r\nHost: a\r\n" + "X: y\r\n".repeat(100_000) + "\r\n");
        byte[] manyFolds = bytes("HTTP/1.1 200 OK\r\nX: y\r\n" + " z\r\n".repeat(200_000) + "\r\n");
        byte[] longLine = bytes("HTTP/1.1 200 OK\r\nX: " + "y".repeat(900_000) + "\r\n\r\n");
        byte[] manyCommas = bytes("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: " + "1,".repeat(200_000) + "1\r\n"
                + "Connection: " + ",".repeat(200_000) + "\r\n\r\n");
        byte[] manyChunks = bytes("1;a=b\r\nx\r\n".repeat(100_000) + "0\r\n" + "T: 1\r\n".repeat(2_000) + "\r\n");

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(100_001, parser.parseRequestHead(manyHeaders).headers().size());
            assertEquals(200_000 * 2 + 1, parser.parseResponseHead(manyFolds, "GET").headers().get("X").length());
            assertEquals(900_000, parser.parseResponseHead(longLine, "GET").headers().get("X").length());
            ParsedRequestHead commas = parser.parseRequestHead(manyCommas);
            assertEquals(new BodyFraming.ContentLength(1), commas.framing());
            assertTrue(commas.keepAlive());
            Decoded chunks = decode(manyChunks, manyChunks.length, Long.MAX_VALUE, 1 << 20);
            assertEquals(100_000, chunks.body().length);
        });
    }

    /** A seed with one to four random edits. */
    private static byte[] mutate(Random random, List<byte[]> seeds) {
        byte[] data = seeds.get(random.nextInt(seeds.size())).clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            data = edit(random, data, seeds);
        }
        return data;
    }

    private static byte[] edit(Random random, byte[] data, List<byte[]> seeds) {
        int at = data.length == 0 ? 0 : random.nextInt(data.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(6)) {
            case 0 -> { // replace a byte
                if (data.length > 0) {
                    data[at] = pick(random);
                }
                return data;
            }
            case 1 -> { // insert bytes
                out.write(data, 0, at);
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    out.write(pick(random));
                }
                out.write(data, at, data.length - at);
            }
            case 2 -> { // delete a run
                int n = Math.min(data.length - at, 1 + random.nextInt(8));
                out.write(data, 0, at);
                out.write(data, at + n, data.length - at - n);
            }
            case 3 -> { // duplicate a run
                int n = Math.min(data.length - at, 1 + random.nextInt(16));
                out.write(data, 0, at + n);
                out.write(data, at, data.length - at);
            }
            case 4 -> { // truncate
                out.write(data, 0, at);
            }
            default -> { // splice in the tail of another seed
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int from = random.nextInt(other.length);
                out.write(data, 0, at);
                out.write(other, from, other.length - from);
            }
        }
        return out.toByteArray();
    }

    private static byte pick(Random random) {
        return random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
    }

    /** The head written back out: start line, one CRLF-terminated line per field, the empty line. */
    private static byte[] write(String startLine, HttpHeaders headers) {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n");
        headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
        return bytes(sb.append("\r\n").toString());
    }

    /** The body, the bytes used (-1 if the body did not end), the error status (0 if none) and the trailers. */
    private record Decoded(byte[] body, int used, int status, List<Map.Entry<String, String>> trailers) {}

    private static Decoded decode(byte[] input, int step, long maxBody) {
        return decode(input, step, maxBody, 64);
    }

    private static Decoded decode(byte[] input, int step, long maxBody, int maxTrailer) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ChunkedDecoder decoder = new ChunkedDecoder(maxBody, maxTrailer, data -> {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            body.writeBytes(bytes);
        });
        int used = 0;
        try {
            while (used < input.length && !decoder.isDone()) {
                used += decoder.feed(input, used, Math.min(step, input.length - used));
            }
        } catch (HttpInputException e) {
            assertErrorStatus(e, input);
            return new Decoded(body.toByteArray(), -1, e.status(), List.of());
        }
        return new Decoded(body.toByteArray(), decoder.isDone() ? used : -1, 0, decoder.trailers().entries());
    }

    private static void assertErrorStatus(HttpInputException e, byte[] input) {
        assertTrue(e.status() >= 400 && e.status() <= 599, () -> e + " for " + show(input));
    }

    private static String show(byte[] input) {
        StringBuilder sb = new StringBuilder("input \"");
        for (byte b : input) {
            int c = b & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02X", c));
        }
        return sb.append('"').toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
