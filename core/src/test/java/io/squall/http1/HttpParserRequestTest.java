package io.squall.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.http.HttpInputException;
import io.squall.http.RequestStartLine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request side of {@link HttpParser}: strict RFC 9112. */
class HttpParserRequestTest {
    private static final HttpParser PARSER = new HttpParser();

    /** Parses {@code head} (ISO-8859-1 characters as bytes). */
    static ParsedRequestHead parse(String head) {
        return PARSER.parseRequestHead(head.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Asserts that {@code head} is rejected with {@code status} and a message containing {@code fragment}. */
    static void assertRejected(int status, String fragment, String head) {
        HttpInputException e = assertThrows(HttpInputException.class, () -> parse(head), head);
        assertEquals(status, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "message \"" + e.getMessage() + "\" lacks \"" + fragment + '"');
    }

    /** A request with the given extra header lines (each ending with CRLF). */
    private static String request(String version, String fieldLines) {
        return "POST /upload HTTP/" + version + "\r\n" + fieldLines + "\r\n";
    }

    @Test
    void commonMethodsAndFieldNamesAreSharedStringsAndOthersAreDecodedAsSent() {
        ParsedRequestHead a = parse("GET / HTTP/1.1\r\nHost: a\r\nX-Custom: 1\r\nhost-ish: 2\r\nAccept: */*\r\n\r\n");
        ParsedRequestHead b = parse("GET /b HTTP/1.1\r\nHost: b\r\nAccept: */*\r\n\r\n");
        assertSame(a.startLine().method(), b.startLine().method());
        assertSame(a.headers().entries().getFirst().getKey(), b.headers().entries().getFirst().getKey());
        assertEquals(List.of("Host", "X-Custom", "host-ish", "Accept"),
                a.headers().entries().stream().map(Map.Entry::getKey).toList());
        assertEquals("PROPFIND", parse("PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n").startLine().method());
        assertEquals("HOST", parse("GET / HTTP/1.1\r\nHOST: a\r\n\r\n").headers().entries().getFirst().getKey(),
                "a known name in another case keeps the case it was sent in");
    }

    @Test
    void parsesRequestLineAndFieldsInOrder() {
        ParsedRequestHead head = parse("GET /search?q=a%20b HTTP/1.1\r\nHost: example.com\r\nAccept:  */*  \r\n"
                + "X-Empty:\r\nX-Tab:\tin\tside\t\r\nx-empty: again\r\n\r\n");

        assertEquals(new RequestStartLine("GET", "/search?q=a%20b", "HTTP/1.1"), head.startLine());
        assertEquals(List.of(Map.entry("Host", "example.com"), Map.entry("Accept", "*/*"), Map.entry("X-Empty", ""),
                Map.entry("X-Tab", "in\tside"), Map.entry("x-empty", "again")), head.headers().entries());
        assertEquals(BodyFraming.NONE, head.framing());
        assertTrue(head.keepAlive());
        assertEquals("GET /search?q=a%20b HTTP/1.1", head.startLine().toString());
    }

    @Test
    void keepsObsTextInValuesAsLatin1() {
        ParsedRequestHead head = parse("GET / HTTP/1.1\r\nHost: h\r\nX-City: D\u00fcsseldorf \u00ff\r\n\r\n");

        assertEquals("D\u00fcsseldorf \u00ff", head.headers().get("X-City"));
    }

    @Test
    void parsesARangeOfALargerBuffer() {
        byte[] buf = "xxGET / HTTP/1.0\r\n\r\nyy".getBytes(StandardCharsets.ISO_8859_1);

        ParsedRequestHead head = PARSER.parseRequestHead(buf, 2, buf.length - 4);

        assertEquals("GET / HTTP/1.0", head.startLine().toString());
        assertThrows(IndexOutOfBoundsException.class, () -> PARSER.parseRequestHead(buf, 20, 10));
    }

    @Test
    void ignoresEmptyLinesBeforeTheRequestLine() {
        assertEquals("/", parse("\r\n\r\n\r\nGET / HTTP/1.0\r\n\r\n").startLine().target());
        assertRejected(400, "no request line", "\r\n\r\n");
        assertRejected(400, "no request line", "");
    }

    @Test
    void needsTheEmptyLineAtTheEndAndNothingAfterIt() {
        assertRejected(400, "does not end with an empty line", "GET / HTTP/1.0\r\nHost: a\r\n");
        assertRejected(400, "does not end with an empty line", "GET / HTTP/1.0");
        assertRejected(400, "bytes after the empty line", "GET / HTTP/1.0\r\n\r\nGET");
    }

    @Test
    void enforcesTheHeaderSizeLimitWith431() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\nX: " + "y".repeat(100) + "\r\n\r\n";
        HttpParser small = new HttpParser(head.length() - 1);

        HttpInputException e = assertThrows(HttpInputException.class,
                () -> small.parseRequestHead(head.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(431, e.status());
        assertTrue(e.getMessage().contains("larger than the limit of " + (head.length() - 1)), e.getMessage());
        assertEquals("y".repeat(100), new HttpParser(head.length()).parseRequestHead(
                head.getBytes(StandardCharsets.ISO_8859_1)).headers().get("X"));
        assertThrows(IllegalArgumentException.class, () -> new HttpParser(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/0.9", "HTTP/3.0", "HTTP/9.9"})
    void answers505ToOtherHttpVersions(String version) {
        assertRejected(505, "HTTP version " + version + " is not supported", "GET / " + version + "\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.2", "HTTP/1.9"})
    void readsAHigherMinorVersionAsHttp11(String version) {
        // RFC 9110 §2.5: a higher minor version of a major version we implement is processed as 1.1.
        assertEquals("HTTP/1.1", new HttpParser().parseRequestHead(
                ("GET / " + version + "\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).startLine().version());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.10", "HTTP/1", "http/1.1", "HTTP/1.1 ", "HTTP/11.1", "ICE/1.0", "RTSP/1.0",
        "HTTP/1.x", "HTTP /1.1", "HTTP/01.1"})
    void answers400ToGarbageVersions(String version) {
        assertRejected(400, "", "GET / " + version + "\r\nHost: a\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET  / HTTP/1.1", " GET / HTTP/1.1", "GET\t/ HTTP/1.1", "GET /\tHTTP/1.1", "GET /",
        "GET", "FOO,BAR / HTTP/1.1", "G\u00c9T / HTTP/1.1", "GET /caf\u00e9 HTTP/1.1", "GET /a\u0001b HTTP/1.1",
        "GET /a\u007fb HTTP/1.1", "GET / HTTP/1.1 extra", "asdf"})
    void answers400ToMalformedRequestLines(String line) {
        assertRejected(400, "malformed request", line + "\r\nHost: a\r\n\r\n");
    }

    @Test
    void treatsMethodsAsCaseSensitiveTokens() {
        assertEquals("get", parse("get / HTTP/1.1\r\nHost: a\r\n\r\n").startLine().method());
        assertEquals("M-SEARCH", parse("M-SEARCH /x HTTP/1.1\r\nHost: a\r\n\r\n").startLine().method());
        assertEquals("!#$%&'*+-.^_`|~", parse("!#$%&'*+-.^_`|~ / HTTP/1.1\r\nHost: a\r\n\r\n").startLine().method());
    }

    @Test
    void acceptsEachRequestTargetFormWithItsMethod() {
        assertEquals("http://example.com:8080/a?b#c",
                parse("GET http://example.com:8080/a?b#c HTTP/1.1\r\nHost: example.com\r\n\r\n").startLine().target());
        assertEquals("example.com:443",
                parse("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n").startLine().target());
        assertEquals("[::1]:443", parse("CONNECT [::1]:443 HTTP/1.0\r\n\r\n").startLine().target());
        assertEquals("*", parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").startLine().target());
        assertEquals("/with_\"quotes\"?x=|", parse("GET /with_\"quotes\"?x=| HTTP/1.0\r\n\r\n").startLine().target());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONNECT example.com HTTP/1.1", "CONNECT /path HTTP/1.1", "CONNECT http://a:1/ HTTP/1.1",
        "CONNECT a:99999 HTTP/1.1", "GET * HTTP/1.1", "GET example.com/x HTTP/1.1", "GET 1http://x/ HTTP/1.1",
        "GET ?q HTTP/1.1", "OPTIONS ** HTTP/1.1"})
    void answers400ToATargetOfTheWrongForm(String line) {
        assertRejected(400, "request-target", line + "\r\nHost: a\r\n\r\n");
    }

    @Test
    void answers400ToWhitespaceBeforeTheColon() {
        assertRejected(400, "whitespace between the header name and the colon", request("1.1", "Host : a\r\n"));
        assertRejected(400, "whitespace between the header name and the colon", request("1.1", "Host\t: a\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NoColon", ": empty name", "Fo@: x", "Caf\u00e9: x", "(x): y", "Foo\u0001: x", "\"q\": x"})
    void answers400ToInvalidHeaderNames(String line) {
        assertRejected(400, "malformed request", request("1.1", "Host: a\r\n" + line + "\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0001b", "\u0000", "a\u000bb", "a\u000cb", "x\u001f", "del\u007f"})
    void answers400ToControlCharactersInValues(String value) {
        assertRejected(400, "control character", request("1.1", "Host: a\r\nX: " + value + "\r\n"));
    }

    @Test
    void answers400ToObsFoldInRequests() {
        assertRejected(400, "obs-fold", request("1.1", "Host: a\r\nX: a\r\n b\r\n"));
        assertRejected(400, "obs-fold", request("1.1", "Host: a\r\nX: a\r\n\tb\r\n"));
        assertRejected(400, "obs-fold", "GET / HTTP/1.1\r\n Host: a\r\n\r\n");
    }

    @Test
    void answers400ToBareLineFeedsAndCarriageReturns() {
        assertRejected(400, "bare LF", "GET / HTTP/1.1\nHost: a\n\n");
        assertRejected(400, "bare LF", "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n");
        assertRejected(400, "bare LF", "GET / HTTP/1.1\r\nHost: a\r\n\n");
        assertRejected(400, "bare CR", "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n");
        assertRejected(400, "bare CR", "GET / HTTP/1.1\r\nX: keep\ralive\r\nHost: a\r\n\r\n");
        assertRejected(400, "bare CR", "GET / HTTP/1.1\rHost: a\r\n\r\n");
        assertRejected(400, "bare CR", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n");
    }

    @Test
    void framesBodiesByContentLength() {
        assertEquals(new BodyFraming.ContentLength(5), parse(request("1.1", "Host: a\r\nContent-Length: 5\r\n")).framing());
        assertEquals(new BodyFraming.ContentLength(3), parse(request("1.1", "Host: a\r\ncontent-length: 003\r\n")).framing());
        assertEquals(new BodyFraming.ContentLength(0), parse(request("1.1", "Host: a\r\nContent-Length: 0\r\n")).framing());
        assertEquals(new BodyFraming.ContentLength(Long.MAX_VALUE),
                parse(request("1.1", "Host: a\r\nContent-Length: 9223372036854775807\r\n")).framing());
    }

    @Test
    void collapsesIdenticalRepeatedContentLengths() {
        assertEquals(new BodyFraming.ContentLength(5),
                parse(request("1.1", "Host: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n")).framing());
        assertEquals(new BodyFraming.ContentLength(2),
                parse(request("1.1", "Host: a\r\nContent-Length: 2, 2,2\r\n")).framing());
        assertRejected(400, "conflicting Content-Length values 1 and 2",
                request("1.1", "Host: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n"));
        assertRejected(400, "conflicting Content-Length values 2 and 3",
                request("1.1", "Host: a\r\nContent-Length: 2, 3\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+5", "-5", "5 5", "0x5", "5a", "", "5,", ",5", "5,,5", "1e3", "\u00b2"})
    void answers400ToContentLengthsThatAreNotDigits(String value) {
        assertRejected(400, "Content-Length", request("1.1", "Host: a\r\nContent-Length: " + value + "\r\n"));
    }

    @Test
    void answers400ToContentLengthOverflow() {
        assertRejected(400, "too large", request("1.1", "Host: a\r\nContent-Length: 9223372036854775808\r\n"));
        assertRejected(400, "too large", request("1.1", "Host: a\r\nContent-Length: 1000000000000000000000\r\n"));
    }

    @Test
    void framesChunkedBodies() {
        assertEquals(BodyFraming.CHUNKED, parse(request("1.1", "Host: a\r\nTransfer-Encoding: chunked\r\n")).framing());
        assertEquals(BodyFraming.CHUNKED, parse(request("1.1", "Host: a\r\nTransfer-Encoding:  Chunked \r\n")).framing());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "chunked, chunked", "chunked, gzip", "identity", "chunkedchunked",
        "chunked;q=1", "", "gzip", " , chunked"})
    void answers400ToTransferCodingsOtherThanALoneChunked(String value) {
        assertRejected(400, "Transfer-Encoding", request("1.1", "Host: a\r\nTransfer-Encoding: " + value + "\r\n"));
    }

    @Test
    void answers400ToRepeatedTransferEncoding() {
        assertRejected(400, "repeated Transfer-Encoding",
                request("1.1", "Host: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"));
    }

    @Test
    void answers400ToTransferEncodingWithContentLength() {
        assertRejected(400, "both Transfer-Encoding and Content-Length",
                request("1.1", "Host: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"));
        assertRejected(400, "both Transfer-Encoding and Content-Length",
                request("1.1", "Host: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n"));
    }

    @Test
    void closesAfterAnHttp10MessageWithTransferEncoding() {
        ParsedRequestHead head = parse(request("1.0", "Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n"));

        assertEquals(BodyFraming.CHUNKED, head.framing());
        assertFalse(head.keepAlive());
    }

    @Test
    void answers400ToContentInConnectRequests() {
        assertRejected(400, "CONNECT request cannot have content",
                "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 10\r\n\r\n");
        assertRejected(400, "CONNECT request cannot have content",
                "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertEquals(BodyFraming.NONE,
                parse("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 0\r\n\r\n").framing());
    }

    @Test
    void needsExactlyOneHostInHttp11() {
        assertRejected(400, "missing Host header", "GET / HTTP/1.1\r\n\r\n");
        assertRejected(400, "more than one Host header", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n");
        assertRejected(400, "more than one Host header", "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n");
        assertEquals(0, parse("GET / HTTP/1.0\r\n\r\n").headers().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "user@example.com", "example.com:99999", "example.com:abc", "example.com:",
        "example.com:-1", ":80", "[::1", "[]", "[::1]x", "a%zz", "a%2", "exa/mple.com", "a\tb", "example.com:80:80",
        "caf\u00e9.example"})
    void answers400ToInvalidHostValues(String host) {
        assertRejected(400, "invalid Host header", "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "[::1]", "[::1]:8080", "127.0.0.1:0", "",
        "0.0.0.0=5000", "a%20b", "home_0.example", "xn--bcher-kva.example", "[v1.fe80::a+en1]:1"})
    void acceptsValidHostValues(String host) {
        assertEquals(host, parse("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").headers().get("Host"));
    }

    @Test
    void keepsHttp11ConnectionsAliveUnlessToldToClose() {
        assertTrue(parse(request("1.1", "Host: a\r\n")).keepAlive());
        assertTrue(parse(request("1.1", "Host: a\r\nConnection: keep-alive\r\n")).keepAlive());
        assertTrue(parse(request("1.1", "Host: a\r\nConnection: closed, upgrade\r\n")).keepAlive());
        assertFalse(parse(request("1.1", "Host: a\r\nConnection: close\r\n")).keepAlive());
        assertFalse(parse(request("1.1", "Host: a\r\nConnection: Keep-Alive, CLOSE\r\n")).keepAlive());
        assertFalse(parse(request("1.1", "Host: a\r\nConnection: upgrade\r\nConnection: close\t\r\n")).keepAlive());
    }

    @Test
    void keepsHttp10ConnectionsAliveOnlyWhenAsked() {
        assertFalse(parse(request("1.0", "")).keepAlive());
        assertTrue(parse(request("1.0", "Connection: keep-alive\r\n")).keepAlive());
        assertTrue(parse(request("1.0", "Connection: Keep-Alive\r\nContent-Length: 1\r\n")).keepAlive());
        assertFalse(parse(request("1.0", "Connection: keep-alive, close\r\n")).keepAlive());
        assertFalse(parse(request("1.0", "Connection: keep-alive-please\r\n")).keepAlive());
    }

    @Test
    void findsTheEndOfAHeadInABuffer() {
        byte[] two = "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nBODYGET".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(29, HttpParser.findHeadEnd(two, 0, two.length, false));
        assertEquals(29, HttpParser.findHeadEnd(two, 0, two.length, true));
        assertEquals(-1, HttpParser.findHeadEnd(two, 0, 28, false));
        assertEquals(-1, HttpParser.findHeadEnd(two, 29, two.length - 29, true));

        byte[] bareLf = "GET / HTTP/1.1\nHost: a\n\r\nrest".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(-1, HttpParser.findHeadEnd(bareLf, 0, bareLf.length, false));
        assertEquals(25, HttpParser.findHeadEnd(bareLf, 0, bareLf.length, true));

        byte[] blank = "\r\n\r\n\r\nGET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(blank.length, HttpParser.findHeadEnd(blank, 0, blank.length, false));
        assertEquals(6, HttpParser.skipEmptyLines(blank, 0, blank.length, false));
        assertEquals(4, HttpParser.skipEmptyLines(blank, 0, 4, false));
        byte[] lfs = "\n\r\n\nX".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(0, HttpParser.skipEmptyLines(lfs, 0, lfs.length, false));
        assertEquals(4, HttpParser.skipEmptyLines(lfs, 0, lfs.length, true));
    }
}
