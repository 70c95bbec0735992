package io.squall.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.http.HttpInputException;
import io.squall.http.ResponseStartLine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The response side of {@link HttpParser}: what a client reads. */
class HttpParserResponseTest {
    private static final HttpParser PARSER = new HttpParser();

    private static ParsedResponseHead parse(String head) {
        return parse(head, "GET");
    }

    private static ParsedResponseHead parse(String head, String method) {
        return PARSER.parseResponseHead(head.getBytes(StandardCharsets.ISO_8859_1), method);
    }

    private static void assertRejected(String fragment, String head, String method) {
        HttpInputException e = assertThrows(HttpInputException.class, () -> parse(head, method), head);
        assertEquals(502, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" lacks \"" + fragment + '"');
    }

    private static void assertRejected(String fragment, String head) {
        assertRejected(fragment, head, "GET");
    }

    @Test
    void parsesStatusLineAndFields() {
        ParsedResponseHead head = parse("HTTP/1.1 404 Not Found Here\r\nContent-Length: 9\r\nX:  y \r\n\r\n");

        assertEquals(new ResponseStartLine("HTTP/1.1", 404, "Not Found Here"), head.startLine());
        assertEquals(List.of(Map.entry("Content-Length", "9"), Map.entry("X", "y")), head.headers().entries());
        assertEquals(new BodyFraming.ContentLength(9), head.framing());
        assertTrue(head.keepAlive());
        assertFalse(head.isInterim());
    }

    @Test
    void acceptsMissingOrUnusualReasonPhrases() {
        assertEquals("", parse("HTTP/1.1 301\r\n\r\n").startLine().reason());
        assertEquals("", parse("HTTP/1.1 200 \r\n\r\n").startLine().reason());
        assertEquals(" OK", parse("HTTP/1.1 200  OK\r\n\r\n").startLine().reason());
        assertEquals("Ori\u00ebntatieprobleem", parse("HTTP/1.1 500 Ori\u00ebntatieprobleem\r\n\r\n").startLine().reason());
        assertEquals("(Continue)\t!", parse("HTTP/1.1 100 (Continue)\t!\r\n\r\n").startLine().reason());
    }

    @Test
    void treatsHigherMinorVersionsAsHttp11() {
        ParsedResponseHead head = parse("HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n");

        assertEquals("HTTP/1.2", head.startLine().version());
        assertTrue(head.keepAlive());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1  200 OK", "HTTP/1.1\t200 OK",
        "HTTP/1.1 2x0 OK", "HTTP/1.1 099 Low", "HTTP/1.1 200\tOK", "HTP/1.1 200 OK", "HTTP/01.1 200 OK",
        "HTTP/1.01 200 OK", "ICE/1.1 200 OK", "RTSP/1.1 200 OK", "http/1.1 200 OK", "HTTP/1.1 200 O\u0001K",
        "HTTP/1.1 200 OK\u007f", " HTTP/1.1 200 OK"})
    void rejectsMalformedStatusLines(String line) {
        assertRejected("malformed response", line + "\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0 200 OK", "HTTP/0.9 200 OK", "HTTP/5.6 200 OK"})
    void rejectsOtherMajorVersions(String line) {
        assertRejected("unsupported HTTP version", line + "\r\n\r\n");
    }

    @Test
    void acceptsBareLineFeeds() {
        ParsedResponseHead head = parse("\nHTTP/1.1 200 OK\nContent-Type: text/plain\r\nX: y\n\n");

        assertEquals(200, head.startLine().code());
        assertEquals(List.of(Map.entry("Content-Type", "text/plain"), Map.entry("X", "y")), head.headers().entries());
        assertRejected("bare CR", "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n");
        assertRejected("bare CR", "HTTP/1.1 200 OK\r\nFoo: 1\rBar: 2\r\n\r\n");
    }

    @Test
    void replacesObsFoldWithASpace() {
        ParsedResponseHead head = parse("HTTP/1.1 200 OK\r\nX: a \r\n  b\r\n\tc\r\nEmpty:\r\n \r\n"
                + "Late:\r\n line\r\nContent-Length: 0\r\n\r\n");

        assertEquals(List.of(Map.entry("X", "a b c"), Map.entry("Empty", ""), Map.entry("Late", "line"),
                Map.entry("Content-Length", "0")), head.headers().entries());
        assertRejected("before any header field", "HTTP/1.1 200 OK\r\n folded\r\n\r\n");
        assertRejected("control character", "HTTP/1.1 200 OK\r\nX: a\r\n b\u0001\r\n\r\n");
    }

    @Test
    void rejectsMalformedFieldLines() {
        assertRejected("whitespace between the header name and the colon", "HTTP/1.1 200 OK\r\nX : y\r\n\r\n");
        assertRejected("whitespace in header name", "HTTP/1.1 200 OK\r\nen-US Content-Type: text/xml\r\n\r\n");
        assertRejected("invalid character '@'", "HTTP/1.1 200 OK\r\nFo@: x\r\n\r\n");
        assertRejected("no colon", "HTTP/1.1 200 OK\r\nJunk\r\n\r\n");
    }

    @Test
    void framesTheBodyAsRfc9112Section63Says() {
        assertEquals(BodyFraming.NONE, parse("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n", "HEAD").framing());
        assertEquals(BodyFraming.NONE, parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "HEAD").framing());
        assertEquals(BodyFraming.NONE, parse("HTTP/1.1 100 Continue\r\n\r\n").framing());
        assertEquals(BodyFraming.NONE, parse("HTTP/1.1 101 Switching Protocols\r\nContent-Length: 4\r\n\r\n").framing());
        assertEquals(BodyFraming.NONE, parse("HTTP/1.1 204 No Content\r\n\r\n").framing());
        assertEquals(BodyFraming.NONE, parse("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n").framing());
        assertEquals(BodyFraming.NONE, parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 42\r\n\r\n").framing());
        assertEquals(BodyFraming.NONE, parse("HTTP/1.1 200 Connection established\r\n\r\n", "CONNECT").framing());
        assertEquals(new BodyFraming.ContentLength(3),
                parse("HTTP/1.1 407 Auth\r\nContent-Length: 3\r\n\r\n", "CONNECT").framing());
        assertEquals(BodyFraming.CHUNKED, parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").framing());
        assertEquals(new BodyFraming.ContentLength(2), parse("HTTP/1.1 200 OK\r\nContent-Length: 2, 2,2\r\n\r\n").framing());
        assertEquals(BodyFraming.UNTIL_CLOSE, parse("HTTP/1.1 200 OK\r\n\r\n").framing());
        assertEquals(BodyFraming.UNTIL_CLOSE, parse("HTTP/1.1 200 OK\r\n\r\n", "head").framing());
    }

    @Test
    void rejectsAmbiguousOrUnsupportedFraming() {
        assertRejected("conflicting Content-Length values 2 and 4", "HTTP/1.1 200 OK\r\nContent-Length: 2,4\r\n\r\n");
        assertRejected("both Transfer-Encoding and Content-Length",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n");
        assertRejected("unsupported Transfer-Encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n");
        assertRejected("invalid Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        assertRejected("a 204 (No Content) response cannot have a body",
                "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
        assertRejected("a 204 (No Content) response cannot have a body",
                "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void marksInterimResponses() {
        assertTrue(parse("HTTP/1.1 100 Continue\r\n\r\n").isInterim());
        assertTrue(parse("HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n").isInterim());
        assertFalse(parse("HTTP/1.1 101 Switching Protocols\r\n\r\n").isInterim());
        assertFalse(parse("HTTP/1.1 200 OK\r\n\r\n").isInterim());
    }

    @Test
    void decidesKeepAlive() {
        assertTrue(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive());
        assertTrue(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").keepAlive());
        assertFalse(parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").keepAlive());
        assertFalse(parse("HTTP/1.1 200 OK\r\n\r\n").keepAlive());
        assertTrue(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive());
        assertFalse(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").keepAlive());
        assertFalse(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n").keepAlive());
        assertFalse(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n").keepAlive());
    }

    @Test
    void enforcesTheHeaderSizeLimit() {
        String head = "HTTP/1.1 200 OK\r\nX: " + "y".repeat(50) + "\r\n\r\n";
        HttpInputException e = assertThrows(HttpInputException.class,
                () -> new HttpParser(head.length() - 1).parseResponseHead(head.getBytes(StandardCharsets.ISO_8859_1), "GET"));

        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("larger than the limit"), e.getMessage());
    }
}
