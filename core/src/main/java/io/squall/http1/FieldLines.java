package io.squall.http1;

import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http.internal.TrustedHeaders;
import io.squall.http.syntax.HttpSyntax;
import java.nio.charset.StandardCharsets;

/**
 * Reads the lines of a header block (or of a trailer section) straight from its bytes, one pass, no
 * regular expressions: the start line is left to the caller, the field lines are parsed into an
 * {@link HttpHeaders}.
 *
 * <p>Line endings follow RFC 9112 §2.2: a CR anywhere but just before an LF is an error; a bare LF is an
 * error unless the {@link Mode} accepts it. Field lines follow §5: a token name, a colon with no whitespace
 * before it, optional whitespace around the value, and no control character but HTAB in the value.
 */
final class FieldLines {
    /** What is being parsed, which decides the leniency and the status of errors. */
    enum Mode {
        /** A request head: strict; errors answer 400. */
        REQUEST(HttpInputException.BAD_REQUEST, false, false, "request"),
        /**
         * A response head, read by a client: bare LF line endings are accepted (RFC 9112 §2.2 allows it) and
         * obs-fold is replaced by a space (§5.2 requires a user agent to do so); errors carry 502.
         */
        RESPONSE(HttpInputException.BAD_GATEWAY, true, true, "response"),
        /** The trailer section of a chunked body: strict; errors answer 400. */
        TRAILER(HttpInputException.BAD_REQUEST, false, false, "chunked trailer section");

        final int errorStatus;
        final boolean bareLf;
        final boolean obsFold;
        final String what;

        Mode(int errorStatus, boolean bareLf, boolean obsFold, String what) {
            this.errorStatus = errorStatus;
            this.bareLf = bareLf;
            this.obsFold = obsFold;
            this.what = what;
        }
    }

    private final byte[] buf;
    private final int end;
    private final Mode mode;
    private int pos;
    private int lineStart;
    private int lineEnd;

    /** Reads {@code buf[off, end)}. */
    FieldLines(byte[] buf, int off, int end, Mode mode) {
        this.buf = buf;
        this.pos = off;
        this.end = end;
        this.mode = mode;
    }

    /**
     * The first index in {@code [off, end)} that does not begin an empty line (CRLF, or LF alone when
     * {@code bareLf}): empty lines before a start line are ignored (RFC 9112 §2.2).
     */
    static int skipEmptyLines(byte[] buf, int off, int end, boolean bareLf) {
        while (off < end) {
            if (buf[off] == '\r' && off + 1 < end && buf[off + 1] == '\n') {
                off += 2;
            } else if (bareLf && buf[off] == '\n') {
                off++;
            } else {
                break;
            }
        }
        return off;
    }

    /** Skips the empty lines before the start line; fails if nothing else is left. */
    void skipEmptyLines() {
        pos = skipEmptyLines(buf, pos, end, mode.bareLf);
        if (pos == end) {
            throw error("the header block holds no " + (mode == Mode.REQUEST ? "request" : "status") + " line");
        }
    }

    /**
     * Advances to the next line; {@link #lineStart()} and {@link #lineEnd()} then delimit its content,
     * without the line ending.
     *
     * @throws HttpInputException on a bare CR, a bare LF the mode refuses, or if the block ends before
     *     the empty line that should close it
     */
    void nextLine() {
        for (int i = pos; i < end; i++) {
            byte c = buf[i];
            if (c == '\n') {
                boolean crlf = i > pos && buf[i - 1] == '\r';
                if (!crlf && !mode.bareLf) {
                    throw error("line ending with a bare LF instead of CRLF: " + snippet(pos, i));
                }
                lineStart = pos;
                lineEnd = crlf ? i - 1 : i;
                pos = i + 1;
                return;
            }
            if (c == '\r' && (i + 1 == end || buf[i + 1] != '\n')) {
                throw error("bare CR not followed by LF: " + snippet(pos, i + 1));
            }
        }
        throw error("the header block does not end with an empty line");
    }

    int lineStart() {
        return lineStart;
    }

    int lineEnd() {
        return lineEnd;
    }

    /**
     * Parses the field lines after the start line into {@code into}, up to and including the empty line
     * that ends the section, which must be the last bytes of the input.
     */
    void readFields(HttpHeaders into) {
        String name = null;
        String value = null;
        StringBuilder folded = null;
        while (true) {
            nextLine();
            if (lineStart == lineEnd) {
                break;
            }
            if (HttpSyntax.isWhitespace(buf[lineStart])) {
                if (!mode.obsFold) {
                    throw error("line folding (obs-fold, a line starting with whitespace) is not allowed: "
                            + snippet(lineStart, lineEnd));
                }
                if (name == null) {
                    throw error("line starting with whitespace before any header field: "
                            + snippet(lineStart, lineEnd));
                }
                // RFC 9112 §5.2: each obs-fold becomes a single space.
                int from = HttpSyntax.skipWhitespace(buf, lineStart, lineEnd);
                int to = HttpSyntax.trimWhitespaceEnd(buf, from, lineEnd);
                checkValue(name, from, to);
                if (from < to) {
                    if (folded == null) {
                        folded = new StringBuilder(value);
                    }
                    if (!folded.isEmpty()) {
                        folded.append(' ');
                    }
                    folded.append(latin1(from, to));
                }
                continue;
            }
            if (name != null) {
                TrustedHeaders.add(into, name, folded == null ? value : folded.toString());
                folded = null;
            }
            int colon = lineStart;
            while (colon < lineEnd && HttpSyntax.isTchar(buf[colon] & 0xFF)) {
                colon++;
            }
            if (colon == lineEnd) {
                throw error("no colon in header line: " + snippet(lineStart, lineEnd));
            }
            if (buf[colon] != ':') {
                int c = buf[colon] & 0xFF;
                if (!HttpSyntax.isWhitespace(c)) {
                    throw error("invalid character " + HttpSyntax.describe(c) + " in header name: "
                            + snippet(lineStart, lineEnd));
                }
                int next = HttpSyntax.skipWhitespace(buf, colon, lineEnd);
                throw error((next < lineEnd && buf[next] == ':'
                        ? "whitespace between the header name and the colon: "
                        : "whitespace in header name: ") + snippet(lineStart, lineEnd));
            }
            if (colon == lineStart) {
                throw error("empty header name: " + snippet(lineStart, lineEnd));
            }
            name = KnownTokens.FIELD_NAME.decode(buf, lineStart, colon);
            int from = HttpSyntax.skipWhitespace(buf, colon + 1, lineEnd);
            int to = HttpSyntax.trimWhitespaceEnd(buf, from, lineEnd);
            checkValue(name, from, to);
            value = latin1(from, to);
        }
        if (name != null) {
            TrustedHeaders.add(into, name, folded == null ? value : folded.toString());
        }
        if (pos != end) {
            throw error((end - pos) + " bytes after the empty line that ends the header block");
        }
    }

    private void checkValue(String name, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = buf[i] & 0xFF;
            if (!HttpSyntax.isFieldValueByte(c)) {
                throw error("control character " + HttpSyntax.describe(c) + " in the value of header \""
                        + name + "\"");
            }
        }
    }

    /** {@code buf[from, to)} decoded as ISO-8859-1: one char per byte. */
    String latin1(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** An error of this mode's status, prefixed with what was being parsed. */
    HttpInputException error(String message) {
        return new HttpInputException(mode.errorStatus, "malformed " + mode.what + ": " + message);
    }

    /** {@code buf[from, to)} for an error message: quoted, control bytes escaped, truncated. */
    String snippet(int from, int to) {
        return HttpSyntax.snippet(buf, from, to);
    }
}
