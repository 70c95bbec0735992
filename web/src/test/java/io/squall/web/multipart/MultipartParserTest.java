package io.squall.web.multipart;

import static io.squall.web.multipart.MultipartBodies.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.web.multipart.MultipartBodies.Part;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartParserTest {
    private static final MultipartOptions DEFAULTS = MultipartOptions.DEFAULTS;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesFieldsAndFilesAsCurlSendsThem() throws Exception {
        byte[] body = bytes("--------------------------abc\r\n"
                + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
                + "héllo\r\n"
                + "--------------------------abc\r\n"
                + "Content-Disposition: form-data; name=\"upload\"; filename=\"naïve €.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n"
                + "line 1\r\nline 2\r\n\r\n"
                + "--------------------------abc--\r\n");
        List<Part> parts = parse("------------------------abc", body, body.length, DEFAULTS);
        assertEquals(List.of(new Part("title", null, null, bytes("héllo")),
                new Part("upload", "naïve €.txt", "text/plain", bytes("line 1\r\nline 2\r\n"))), parts);
    }

    @Test
    void extendedFilenameWinsAndEmptyBodiesAndPaddingAndPreambleAreFine() throws Exception {
        byte[] body = bytes("preamble to ignore\r\n--b  \t\r\n"
                + "Content-Disposition: form-data; name=f; filename=\"fallback.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt\r\n"
                + "\r\n"
                + "\r\n--b\r\n"
                + "content-disposition: FORM-DATA; name=\"e\"\r\n\r\n\r\n--b--epilogue\r\n--b\r\nignored");
        List<Part> parts = parse("b", body, 3, DEFAULTS);
        assertEquals(List.of(new Part("f", "€ rates.txt", null, new byte[0]), new Part("e", null, null, new byte[0])), parts);
    }

    @Test
    void boundaryComesFromTheContentType() throws Exception {
        assertEquals("abc", MultipartParser.boundaryOf("multipart/form-data; boundary=abc"));
        assertEquals("a b;c", MultipartParser.boundaryOf("Multipart/Form-Data ; charset=x; boundary=\"a b;c\""));
        for (String bad : List.of("multipart/form-data", "multipart/mixed; boundary=a", "multipart/form-data; boundary=",
                "multipart/form-data; boundary=" + "x".repeat(71), "multipart/form-data; boundary=\"unterminated",
                "multipart/form-data; boundary=a; boundary=b", "multipart/form-data; boundary")) {
            assertEquals(400, assertThrows(MultipartException.class, () -> MultipartParser.boundaryOf(bad), bad).status());
        }
    }

    /** Round trip: random parts through the writer, parsed whole, byte by byte, and at random cuts. */
    @Test
    void randomBodiesRoundTripHoweverTheyAreSplit() throws Exception {
        Random random = new Random(7578);
        for (int round = 0; round < 300; round++) {
            String boundary = randomBoundary(random);
            List<Part> parts = new ArrayList<>();
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                boolean isFile = random.nextBoolean();
                parts.add(new Part(randomText(random), isFile ? randomText(random) : null,
                        isFile && random.nextBoolean() ? "application/octet-stream" : null,
                        randomData(random, boundary)));
            }
            byte[] body = MultipartBodies.write(boundary, parts);
            String context = "round " + round + ", boundary " + boundary;
            assertEquals(parts, parse(boundary, body, body.length, DEFAULTS), context);
            assertEquals(parts, parse(boundary, body, 1, DEFAULTS), context + ", byte by byte");
            int[] cuts = random.ints(random.nextInt(20), 0, body.length + 1).sorted().toArray();
            assertEquals(parts, MultipartBodies.parseSplit(boundary, body, cuts, DEFAULTS), context + ", cuts " + Arrays.toString(cuts));
        }
    }

    private static String randomBoundary(Random random) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=?";
        StringBuilder b = new StringBuilder();
        int length = 1 + random.nextInt(MultipartParser.MAX_BOUNDARY_LENGTH);
        for (int i = 0; i < length; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    private static String randomText(Random random) {
        int[] chars = "aZ0 _-.;=\\'é€ü中😀".codePoints().toArray();
        StringBuilder b = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            b.appendCodePoint(chars[random.nextInt(chars.length)]);
        }
        return b.toString();
    }

    /** Bytes that often hold CRLF, dashes and pieces of the boundary, but never the whole delimiter. */
    private static byte[] randomData(Random random, String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] delimiter = bytes("\r\n--" + boundary);
        int pieces = random.nextInt(8);
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(4)) {
                case 0 -> out.write(delimiter, 0, random.nextInt(delimiter.length)); // a proper prefix
                case 1 -> out.writeBytes(bytes("\r\n--"));
                default -> {
                    byte[] noise = new byte[random.nextInt(200)];
                    random.nextBytes(noise);
                    out.writeBytes(noise);
                }
            }
        }
        byte[] data = out.toByteArray();
        return containsDelimiter(data, delimiter) ? new byte[0] : data;
    }

    private static boolean containsDelimiter(byte[] data, byte[] delimiter) {
        byte[] framed = new byte[data.length + 2 + delimiter.length];
        framed[0] = '\r';
        framed[1] = '\n';
        System.arraycopy(data, 0, framed, 2, data.length);
        System.arraycopy(delimiter, 0, framed, 2 + data.length, delimiter.length);
        // the data must not hold the delimiter, nor end with something that forms one with the real delimiter
        String s = new String(framed, StandardCharsets.ISO_8859_1);
        String d = new String(delimiter, StandardCharsets.ISO_8859_1);
        return s.indexOf(d) != s.length() - d.length() || s.substring(2).indexOf(d) != s.length() - 2 - d.length();
    }

    // ------------------------------------------------------------------ one error (CVE-2025-47287)

    @ParameterizedTest
    @ValueSource(strings = {
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing boundary",
            "--bX\r\n",
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bX",
            "--b\r\nNoColonHere\r\n\r\n\r\n--b--",
            "--b\r\nContent-Type: text/plain\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\"\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data;\r name=\"a\"\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\"; filename*=latin2''x\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\"; filename*=UTF-8''%ZZ\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"a\"; filename*=UTF-8''%C3\r\n\r\n\r\n--b--",
            "--b\r\nBad Name: x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n--b--",
            "",
    })
    void aMalformedBodyIsOneErrorAndThenNothing(String body) {
        MultipartBodies.Collector collector = new MultipartBodies.Collector();
        MultipartParser parser = new MultipartParser("b", DEFAULTS, collector);
        byte[] bytes = bytes(body);
        MultipartException error = assertThrows(MultipartException.class, () -> {
            parser.feed(bytes, 0, bytes.length);
            parser.finish();
        });
        assertEquals(400, error.status());
        assertTrue(error.getMessage().startsWith("Invalid multipart/form-data: "), error.getMessage());
        assertThrows(IllegalStateException.class, () -> parser.feed(bytes, 0, bytes.length));
    }

    @Test
    void invalidUtf8InAHeaderIsAnError() {
        byte[] body = new byte[] {'-', '-', 'b', '\r', '\n', 'X', ':', (byte) 0xC3, '\r', '\n', '\r', '\n'};
        MultipartParser parser = new MultipartParser("b", DEFAULTS, new MultipartBodies.Collector());
        assertEquals(400, assertThrows(MultipartException.class, () -> parser.feed(body, 0, body.length)).status());
    }

    // ------------------------------------------------------------------ bounded, linear work (CVE-2025-67726)

    @Test
    void aBodyOfAMillionPartsStopsAtTheLimitAfterBoundedWork() {
        byte[] part = bytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n");
        byte[] body = new byte[part.length * 1_000_000];
        for (int i = 0; i < 1_000_000; i++) {
            System.arraycopy(part, 0, body, i * part.length, part.length);
        }
        MultipartBodies.Collector collector = new MultipartBodies.Collector();
        MultipartParser parser = new MultipartParser("b", DEFAULTS, collector);
        MultipartException error = assertThrows(MultipartException.class, () -> parser.feed(body, 0, body.length));
        assertEquals(413, error.status());
        assertEquals(100, collector.parts.size());
        assertTrue(collector.calls <= 3 * 100 + 1, "listener calls: " + collector.calls);
    }

    @Test
    void theLimitOfPartsIsConfigurable() throws Exception {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parts.add(new Part("p" + i, null, null, new byte[] {'x'}));
        }
        byte[] body = MultipartBodies.write("b", parts);
        MultipartOptions two = MultipartOptions.builder().maxParts(2).build();
        assertEquals(413, assertThrows(MultipartException.class, () -> parse("b", body, 7, two)).status());
        assertEquals(parts, parse("b", body, 7, MultipartOptions.builder().maxParts(3).build()));
    }

    @Test
    void endlessHeaderLinesStopAtTheHeaderLimit() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes("--b\r\n"));
        for (int i = 0; i < 200_000; i++) {
            out.writeBytes(bytes("X-Header-" + i + ": value\r\n"));
        }
        byte[] body = out.toByteArray();
        MultipartException error = assertThrows(MultipartException.class, () -> parse("b", body, 4096, DEFAULTS));
        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains("10240"), error.getMessage());
        // one header line without end, fed byte by byte
        byte[] longLine = bytes("--b\r\nX: " + "y".repeat(100_000));
        assertThrows(MultipartException.class, () -> parse("b", longLine, 1, DEFAULTS));
    }

    @Test
    void manySemicolonsAndQuotesInADispositionAreParsedInOnePass() throws Exception {
        // Tornado's _parseparam looked for the closing quote from every ';': quadratic.
        String hostile = "form-data" + "; a=\"\\\";;;;\"".repeat(150_000) + "; name=\"n\"";
        MultipartException error = assertThrows(MultipartException.class, () -> HeaderParameters.parse(hostile));
        assertTrue(error.getMessage().contains("repeated parameter"), error.getMessage());
        String semicolons = "form-data" + ";".repeat(2_000_000) + " name=\"n\"; filename=\"" + "\\\"".repeat(500_000) + "\"";
        HeaderParameters parsed = HeaderParameters.parse(semicolons);
        assertEquals("n", parsed.parameters().get("name"));
        assertEquals(500_000, parsed.parameters().get("filename").length());
    }

    @Test
    void nearBoundariesEverywhereAreScannedInLinearTime() throws Exception {
        String boundary = "x".repeat(70);
        byte[] near = bytes("\r\n--" + "x".repeat(69) + "y");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (data.size() < 16 << 20) {
            data.writeBytes(near);
        }
        byte[] payload = data.toByteArray();
        byte[] body = MultipartBodies.write(boundary, List.of(new Part("f", "f.bin", null, payload)));
        MultipartBodies.Collector collector = new MultipartBodies.Collector();
        MultipartParser parser = new MultipartParser(boundary, DEFAULTS, collector);
        int feeds = 0;
        for (int at = 0; at < body.length; at += 65536) {
            parser.feed(body, at, Math.min(65536, body.length - at));
            feeds++;
        }
        parser.finish();
        assertEquals(1, collector.parts.size());
        assertArrayEquals(payload, collector.parts.getFirst().data());
        assertTrue(collector.calls <= feeds + 2, "listener calls " + collector.calls + " for " + feeds + " pieces");
    }

    @Test
    void aFieldWithoutFilenameHasNoFilename() throws Exception {
        List<Part> parts = parse("b", bytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--"), 5, DEFAULTS);
        assertNull(parts.getFirst().filename());
    }
}
