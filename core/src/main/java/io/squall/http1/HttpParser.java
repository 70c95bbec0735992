package io.squall.http1;

import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http.RequestStartLine;
import io.squall.http.ResponseStartLine;
import io.squall.http.syntax.HttpSyntax;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parses HTTP/1.x message heads from bytes (the parsing half of Tornado's {@code http1connection}): no I/O,
 * one pass over the bytes, linear time, so it can be tested and fuzzed in isolation.
 *
 * <p>A server connection reads a head with its stream (for example up to {@code "\r\n\r\n"}, with the
 * header size limit as the read limit, answering 431 when it is exceeded), parses it with
 * {@link #parseRequestHead}, then reads the body as {@link ParsedRequestHead#framing()} says: nothing,
 * exactly Content-Length bytes, or a chunked body through a {@link ChunkedDecoder}. A client does the same
 * with {@link #parseResponseHead}, which also needs the request method to frame the body.
 *
 * <p><b>Strictness.</b> Requests are parsed strictly by RFC 9112, because a server that is lenient where a
 * proxy in front of it is strict (or the reverse) lets an attacker smuggle requests:
 * <ul>
 *   <li>lines end with CRLF; a bare LF or a bare CR is an error (§2.2 lets a recipient accept a bare LF,
 *       but a server does not need to);</li>
 *   <li>the request line is {@code method SP request-target SP HTTP-version} with single spaces; the
 *       method is a token; the target is visible ASCII in origin-form, absolute-form, authority-form (only
 *       and always for CONNECT) or asterisk-form (only for OPTIONS); the version is {@code HTTP/1.0} or
 *       {@code HTTP/1.1} (a higher {@code HTTP/1.x} is read as 1.1, RFC 9110 §2.5), another major version
 *       gets 505 and anything else 400 (HTTP/0.9 included);</li>
 *   <li>field lines are {@code name ":" OWS value OWS} with a token name, no whitespace before the colon,
 *       and no control character but HTAB in the value; obs-fold is rejected (§5.2 allows it);</li>
 *   <li>framing (§6): Transfer-Encoding and Content-Length together, any transfer coding other than a
 *       single {@code chunked}, a Content-Length that is not 1*DIGIT, that overflows a {@code long}, or
 *       whose repeated values differ, are all 400; an HTTP/1.0 message with a Transfer-Encoding closes the
 *       connection afterwards (§6.1);</li>
 *   <li>Host (§3.2): an HTTP/1.1 request needs exactly one; any request with two, or with an invalid
 *       value (not {@code host[:port]} per RFC 3986), gets 400.</li>
 * </ul>
 * Responses are parsed leniently where the RFC tells a client to be: bare LF line endings are accepted and
 * obs-fold is replaced by a space; everything else, framing included, is as strict as for requests, and
 * errors carry status 502.
 *
 * <p>Empty lines (CRLF) before the start line are ignored (§2.2), any number of them. When a stream read up
 * to {@code "\r\n\r\n"} returns nothing but empty lines (a client sent extra CRLFs between pipelined
 * requests), {@link #skipEmptyLines} tells the connection to discard them and read again.
 *
 * <p>An instance only holds its limit, so it can be shared.
 */
public final class HttpParser {
    /** The default limit on the size of a header block: 64 KiB, Tornado's {@code max_header_size}. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 65536;

    private static final String HTTP_1_0 = "HTTP/1.0";
    private static final String HTTP_1_1 = "HTTP/1.1";

    private final int maxHeaderSize;

    /** A parser accepting header blocks up to {@link #DEFAULT_MAX_HEADER_SIZE} bytes. */
    public HttpParser() {
        this(DEFAULT_MAX_HEADER_SIZE);
    }

    /**
     * A parser accepting header blocks up to {@code maxHeaderSize} bytes.
     *
     * @throws IllegalArgumentException if {@code maxHeaderSize} is not positive
     */
    public HttpParser(int maxHeaderSize) {
        if (maxHeaderSize <= 0) {
            throw new IllegalArgumentException("maxHeaderSize must be positive: " + maxHeaderSize);
        }
        this.maxHeaderSize = maxHeaderSize;
    }

    /** The largest header block, in bytes, this parser accepts. */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** Parses a whole array as a request head; see {@link #parseRequestHead(byte[], int, int)}. */
    public ParsedRequestHead parseRequestHead(byte[] head) {
        return parseRequestHead(head, 0, head.length);
    }

    /**
     * Parses a request head: optional empty lines, the request line, the field lines and the empty line
     * that ends the block, which must be the last bytes of {@code buf[off, off + len)}.
     *
     * @throws HttpInputException with 431 if {@code len} exceeds the size limit, 505 for an unsupported
     *     HTTP version, 400 for anything else that is malformed (see the class documentation)
     * @throws IndexOutOfBoundsException if the range is outside {@code buf}
     */
    public ParsedRequestHead parseRequestHead(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > maxHeaderSize) {
            throw new HttpInputException(431, "request header block of " + len
                    + " bytes is larger than the limit of " + maxHeaderSize + " bytes");
        }
        FieldLines lines = new FieldLines(buf, off, off + len, FieldLines.Mode.REQUEST);
        lines.skipEmptyLines();
        lines.nextLine();
        RequestStartLine startLine = parseRequestLine(buf, lines);
        HttpHeaders headers = new HttpHeaders();
        lines.readFields(headers);
        BodyFraming framing = requestFraming(startLine, headers, lines);
        checkHost(startLine, headers, lines);
        return new ParsedRequestHead(startLine, headers, framing);
    }

    /** Parses a whole array as a response head; see {@link #parseResponseHead(byte[], int, int, String)}. */
    public ParsedResponseHead parseResponseHead(byte[] head, String requestMethod) {
        return parseResponseHead(head, 0, head.length, requestMethod);
    }

    /**
     * Parses a response head: optional empty lines, the status line, the field lines and the empty line
     * that ends the block, which must be the last bytes of {@code buf[off, off + len)}. The body framing
     * follows RFC 9112 §6.3: none for a HEAD request, a 1xx, 204 or 304 status, or a 2xx answer to
     * CONNECT; then chunked, Content-Length, or until the connection closes.
     *
     * @param requestMethod the method of the request this answers (case-sensitive: {@code "HEAD"})
     * @throws HttpInputException with status 502 if the head is malformed, too large, uses an HTTP major
     *     version other than 1, frames its body ambiguously (Transfer-Encoding with Content-Length,
     *     differing Content-Lengths), uses a transfer coding other than {@code chunked}, or is a 204 with
     *     a body
     * @throws IndexOutOfBoundsException if the range is outside {@code buf}
     */
    public ParsedResponseHead parseResponseHead(byte[] buf, int off, int len, String requestMethod) {
        Objects.checkFromIndexSize(off, len, buf.length);
        Objects.requireNonNull(requestMethod, "requestMethod");
        FieldLines lines = new FieldLines(buf, off, off + len, FieldLines.Mode.RESPONSE);
        if (len > maxHeaderSize) {
            throw lines.error("header block of " + len + " bytes is larger than the limit of "
                    + maxHeaderSize + " bytes");
        }
        lines.skipEmptyLines();
        lines.nextLine();
        ResponseStartLine startLine = parseStatusLine(buf, lines);
        HttpHeaders headers = new HttpHeaders();
        lines.readFields(headers);
        BodyFraming framing = responseFraming(requestMethod, startLine.code(), headers, lines);
        return new ParsedResponseHead(startLine, headers, framing);
    }

    /**
     * The index just past the empty line that ends the first head in {@code buf[off, off + len)}, or -1
     * if that range does not hold a whole head yet. Empty lines before the start line are skipped first.
     * With {@code allowBareLf} the head may end with LF LF or a mix of LF and CRLF (what a client must
     * accept); otherwise it ends at CRLF CRLF. A server may search with {@code allowBareLf} too, so that a
     * request with bare LFs is rejected by the parser rather than waited on.
     */
    public static int findHeadEnd(byte[] buf, int off, int len, boolean allowBareLf) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int end = off + len;
        int start = FieldLines.skipEmptyLines(buf, off, end, allowBareLf);
        for (int i = start; i < end; i++) {
            if (buf[i] != '\n') {
                continue;
            }
            if (!allowBareLf && (i == start || buf[i - 1] != '\r')) {
                continue;
            }
            int j = i + 1;
            if (j < end && buf[j] == '\r') {
                j++;
            } else if (!allowBareLf) {
                continue;
            }
            if (j < end && buf[j] == '\n') {
                return j + 1;
            }
        }
        return -1;
    }

    /**
     * The first index of {@code buf[off, off + len)} that does not begin an empty line (CRLF, or LF alone
     * with {@code allowBareLf}); {@code off + len} if the range holds only empty lines, which a connection
     * should then discard before reading on (RFC 9112 §2.2).
     */
    public static int skipEmptyLines(byte[] buf, int off, int len, boolean allowBareLf) {
        Objects.checkFromIndexSize(off, len, buf.length);
        return FieldLines.skipEmptyLines(buf, off, off + len, allowBareLf);
    }

    /** The keep-alive rule shared by requests and responses; see {@link ParsedRequestHead#keepAlive()}. */
    static boolean keepAlive(String version, HttpHeaders headers) {
        if (headers.containsToken("Connection", "close")) {
            return false;
        }
        if (HTTP_1_0.equals(version)) {
            return headers.containsToken("Connection", "keep-alive") && !headers.contains("Transfer-Encoding");
        }
        return true;
    }

    private static RequestStartLine parseRequestLine(byte[] buf, FieldLines lines) {
        int start = lines.lineStart();
        int end = lines.lineEnd();
        int sp1 = start;
        while (sp1 < end && buf[sp1] != ' ') {
            sp1++;
        }
        if (sp1 == end) {
            throw lines.error("request line is not \"method target version\": " + lines.snippet(start, end));
        }
        if (sp1 == start) {
            throw lines.error("request line starts with a space: " + lines.snippet(start, end));
        }
        for (int i = start; i < sp1; i++) {
            if (!HttpSyntax.isTchar(buf[i] & 0xFF)) {
                throw lines.error("invalid character " + HttpSyntax.describe(buf[i] & 0xFF) + " in method: "
                        + lines.snippet(start, end));
            }
        }
        int targetStart = sp1 + 1;
        int sp2 = targetStart;
        while (sp2 < end && buf[sp2] != ' ') {
            if (!HttpSyntax.isVchar(buf[sp2])) {
                throw lines.error("invalid character " + HttpSyntax.describe(buf[sp2] & 0xFF)
                        + " in request-target: " + lines.snippet(start, end));
            }
            sp2++;
        }
        if (sp2 == targetStart) {
            throw lines.error("empty request-target (more than one space after the method?): "
                    + lines.snippet(start, end));
        }
        if (sp2 == end) {
            throw lines.error("no HTTP version in request line (HTTP/0.9 is not supported): "
                    + lines.snippet(start, end));
        }
        String version = parseVersion(buf, sp2 + 1, end, lines);
        String method = KnownTokens.METHOD.decode(buf, start, sp1);
        String target = lines.latin1(targetStart, sp2);
        checkTarget(method, target, lines);
        return new RequestStartLine(method, target, version);
    }

    /**
     * {@code HTTP/1.0}, or {@code HTTP/1.1} for {@code HTTP/1.1} and any higher minor version (RFC 9110
     * §2.5: processed as the highest minor version implemented); 505 for another major version; 400 for
     * anything else.
     */
    private static String parseVersion(byte[] buf, int from, int to, FieldLines lines) {
        if (to - from == 8 && buf[from] == 'H' && buf[from + 1] == 'T' && buf[from + 2] == 'T'
                && buf[from + 3] == 'P' && buf[from + 4] == '/' && HttpSyntax.isDigit(buf[from + 5])
                && buf[from + 6] == '.' && HttpSyntax.isDigit(buf[from + 7])) {
            if (buf[from + 5] == '1' && buf[from + 7] == '0') {
                return HTTP_1_0;
            }
            if (buf[from + 5] == '1') {
                return HTTP_1_1;
            }
            throw new HttpInputException(505, "HTTP version " + lines.latin1(from, to)
                    + " is not supported; use HTTP/1.1");
        }
        throw lines.error("invalid HTTP version " + lines.snippet(from, to));
    }

    /** The request-target forms of RFC 9112 §3.2, each with the method it belongs to. */
    private static void checkTarget(String method, String target, FieldLines lines) {
        if (method.equals("CONNECT")) {
            if (!isValidAuthority(target, true)) {
                throw lines.error("CONNECT needs a request-target of the form host:port, not \"" + target + '"');
            }
        } else if (target.equals("*")) {
            if (!method.equals("OPTIONS")) {
                throw lines.error("the request-target \"*\" is only allowed with OPTIONS, not " + method);
            }
        } else if (target.charAt(0) != '/' && !hasScheme(target)) {
            throw lines.error("request-target \"" + target
                    + "\" is neither an absolute path nor an absolute URI");
        }
    }

    /** Whether {@code target} starts with {@code scheme ":"}, a scheme being ALPHA *(ALPHA / DIGIT / + - .). */
    private static boolean hasScheme(String target) {
        if (!isAsciiLetter(target.charAt(0))) {
            return false;
        }
        for (int i = 1; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == ':') {
                return true;
            }
            if (!isAsciiLetter(c) && !HttpSyntax.isDigit(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return false;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static void checkHost(RequestStartLine startLine, HttpHeaders headers, FieldLines lines) {
        String host = null;
        for (int i = 0; i < headers.size(); i++) {
            if (HttpSyntax.equalsIgnoreAsciiCase(headers.name(i), "Host")) {
                if (host != null) {
                    throw lines.error("more than one Host header");
                }
                host = headers.value(i);
            }
        }
        if (host == null) {
            if (startLine.version().equals(HTTP_1_1)) {
                throw lines.error("missing Host header (HTTP/1.1 requires one)");
            }
        } else if (!isValidAuthority(host, false)) {
            throw lines.error("invalid Host header \"" + host + '"');
        }
    }

    /**
     * Whether {@code s} is {@code uri-host [":" port]} (RFC 3986 §3.2.2): an IP literal in brackets, or a
     * reg-name / IPv4 address made of unreserved characters, sub-delims and percent-escapes; the port is
     * 1 to 5 digits up to 65535. The empty string is valid unless a port is required (RFC 9112 §3.2 lets a
     * client send an empty Host).
     */
    static boolean isValidAuthority(String s, boolean portRequired) {
        if (s.isEmpty()) {
            return !portRequired;
        }
        int i;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (int j = 1; j < close; j++) {
                char c = s.charAt(j);
                if (c != ':' && !isUnreserved(c) && !isSubDelim(c)) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            i = 0;
            while (i < s.length() && s.charAt(i) != ':') {
                char c = s.charAt(i);
                if (c == '%') {
                    if (i + 2 >= s.length() || HttpSyntax.hexValue(s.charAt(i + 1)) < 0
                            || HttpSyntax.hexValue(s.charAt(i + 2)) < 0) {
                        return false;
                    }
                    i += 3;
                } else if (isUnreserved(c) || isSubDelim(c)) {
                    i++;
                } else {
                    return false;
                }
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == s.length()) {
            return !portRequired;
        }
        if (s.charAt(i) != ':') {
            return false;
        }
        return HttpSyntax.parsePort(s, i + 1) >= 0;
    }

    private static boolean isUnreserved(char c) {
        return isAsciiLetter(c) || HttpSyntax.isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isSubDelim(char c) {
        return "!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static BodyFraming requestFraming(RequestStartLine startLine, HttpHeaders headers, FieldLines lines) {
        List<String> transferEncodings = headers.getAll("Transfer-Encoding");
        List<String> contentLengths = headers.getAll("Content-Length");
        boolean connect = startLine.method().equals("CONNECT");
        if (!transferEncodings.isEmpty()) {
            checkTransferEncoding(transferEncodings, contentLengths, lines);
            if (connect) {
                throw lines.error("a CONNECT request cannot have content (it has a Transfer-Encoding)");
            }
            return BodyFraming.CHUNKED;
        }
        if (contentLengths.isEmpty()) {
            return BodyFraming.NONE;
        }
        long length = parseContentLength(contentLengths, lines);
        if (connect) {
            if (length > 0) {
                throw lines.error("a CONNECT request cannot have content (Content-Length: " + length + ")");
            }
            return BodyFraming.NONE;
        }
        return new BodyFraming.ContentLength(length);
    }

    private static BodyFraming responseFraming(String method, int code, HttpHeaders headers, FieldLines lines) {
        List<String> transferEncodings = headers.getAll("Transfer-Encoding");
        List<String> contentLengths = headers.getAll("Content-Length");
        boolean chunked = !transferEncodings.isEmpty();
        if (chunked) {
            checkTransferEncoding(transferEncodings, contentLengths, lines);
        }
        long length = contentLengths.isEmpty() ? -1 : parseContentLength(contentLengths, lines);
        if (code == 204 && (chunked || length > 0)) {
            throw lines.error("a 204 (No Content) response cannot have a body, but it has "
                    + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + length));
        }
        if (method.equals("HEAD") || code < 200 || code == 204 || code == 304
                || (method.equals("CONNECT") && code < 300)) {
            return BodyFraming.NONE;
        }
        if (chunked) {
            return BodyFraming.CHUNKED;
        }
        return length >= 0 ? new BodyFraming.ContentLength(length) : BodyFraming.UNTIL_CLOSE;
    }

    /**
     * Accepts exactly one Transfer-Encoding field whose value is {@code chunked} (ignoring case) and no
     * Content-Length (RFC 9112 §6.1: both together may be a smuggling attempt). Like Tornado, refuses every
     * other coding: gzip or deflate under chunked would have to be decoded too, and list tricks such as
     * {@code chunked, chunked} are where parsers disagree.
     */
    private static void checkTransferEncoding(List<String> values, List<String> contentLengths, FieldLines lines) {
        if (!contentLengths.isEmpty()) {
            throw lines.error("both Transfer-Encoding and Content-Length");
        }
        if (values.size() > 1) {
            throw lines.error("repeated Transfer-Encoding header (" + String.join(", ", values)
                    + "); only a single \"chunked\" is supported");
        }
        if (!HttpSyntax.equalsIgnoreAsciiCase(values.getFirst(), "chunked")) {
            throw lines.error("unsupported Transfer-Encoding \"" + values.getFirst()
                    + "\"; only \"chunked\" is supported");
        }
    }

    /** The Content-Length of every field line, all equal (see {@link ContentLength#parseList}). */
    private static long parseContentLength(List<String> values, FieldLines lines) {
        long result = -1;
        for (String value : values) {
            long length;
            try {
                length = ContentLength.parseList(value);
            } catch (IllegalArgumentException e) {
                throw lines.error(e.getMessage());
            }
            if (result >= 0 && length != result) {
                throw lines.error("conflicting Content-Length values " + result + " and " + length);
            }
            result = length;
        }
        return result;
    }

    private static ResponseStartLine parseStatusLine(byte[] buf, FieldLines lines) {
        int start = lines.lineStart();
        int end = lines.lineEnd();
        // HTTP/1.x SP 3DIGIT [SP reason]: at least 12 bytes.
        if (end - start < 12 || buf[start] != 'H' || buf[start + 1] != 'T' || buf[start + 2] != 'T'
                || buf[start + 3] != 'P' || buf[start + 4] != '/' || !HttpSyntax.isDigit(buf[start + 5])
                || buf[start + 6] != '.' || !HttpSyntax.isDigit(buf[start + 7]) || buf[start + 8] != ' ') {
            throw lines.error("status line is not \"HTTP/1.x code reason\": " + lines.snippet(start, end));
        }
        if (buf[start + 5] != '1') {
            throw lines.error("unsupported HTTP version " + lines.latin1(start, start + 8));
        }
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            if (!HttpSyntax.isDigit(buf[i])) {
                throw lines.error("status code is not three digits: " + lines.snippet(start, end));
            }
            code = code * 10 + (buf[i] - '0');
        }
        if (code < 100) {
            throw lines.error("status code " + lines.latin1(start + 9, start + 12) + " is below 100");
        }
        String reason = "";
        if (end > start + 12) {
            if (buf[start + 12] != ' ') {
                throw lines.error("status code is not three digits: " + lines.snippet(start, end));
            }
            for (int i = start + 13; i < end; i++) {
                if (!HttpSyntax.isFieldValueByte(buf[i] & 0xFF)) {
                    throw lines.error("control character " + HttpSyntax.describe(buf[i] & 0xFF)
                            + " in reason phrase: " + lines.snippet(start, end));
                }
            }
            reason = lines.latin1(start + 13, end);
        }
        String version = lines.latin1(start, start + 8);
        return new ResponseStartLine(version, code, reason);
    }
}
