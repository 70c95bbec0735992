package io.squall.http;

import java.util.Objects;

/**
 * The request line of an HTTP/1.x request: {@code method SP request-target SP HTTP-version} (RFC 9112 §3).
 *
 * @param method the method token, case-sensitive ({@code GET}, {@code POST}...)
 * @param target the request-target as sent: origin-form ({@code /path?query}), absolute-form
 *     ({@code http://host/path}), authority-form ({@code host:port}, for {@code CONNECT}) or asterisk-form
 *     ({@code *}, for {@code OPTIONS})
 * @param version {@code HTTP/1.0} or {@code HTTP/1.1}
 */
public record RequestStartLine(String method, String target, String version) {
    /** Checks that no component is null. */
    public RequestStartLine {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
    }

    /** The line as it appears on the wire, without the CRLF. */
    @Override
    public String toString() {
        return method + ' ' + target + ' ' + version;
    }
}
