package io.squall.http;

import java.util.Objects;

/**
 * The status line of an HTTP/1.x response: {@code HTTP-version SP status-code SP [reason-phrase]}
 * (RFC 9112 §4).
 *
 * @param version {@code HTTP/1.0} or {@code HTTP/1.1} (a parsed {@code HTTP/1.x} keeps its minor digit)
 * @param code the three-digit status code
 * @param reason the reason phrase, possibly empty; it may contain spaces and obs-text (ISO-8859-1)
 */
public record ResponseStartLine(String version, int code, String reason) {
    /**
     * Checks that no component is null, that the code has three digits, and that the reason can be written
     * (ISO-8859-1 without control characters but tab: no CR or LF can split the line).
     */
    public ResponseStartLine {
        Objects.requireNonNull(version, "version");
        HttpHeaders.validateFieldText(reason, "a reason phrase");
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status code must have three digits: " + code);
        }
    }

    /** The line as it appears on the wire, without the CRLF. */
    @Override
    public String toString() {
        return version + ' ' + code + ' ' + reason;
    }
}
