package io.squall.http1;

import io.squall.http.HttpHeaders;
import io.squall.http.RequestStartLine;
import java.util.Objects;

/**
 * A request head that passed {@link HttpParser#parseRequestHead}: its request line, its header fields, and
 * how its body is framed.
 *
 * @param startLine the request line
 * @param headers the header fields in arrival order
 * @param framing {@link BodyFraming#NONE}, a {@link BodyFraming.ContentLength} or {@link BodyFraming#CHUNKED}
 *     (never {@link BodyFraming#UNTIL_CLOSE}: a request body cannot be delimited by closing)
 */
public record ParsedRequestHead(RequestStartLine startLine, HttpHeaders headers, BodyFraming framing) {
    /** Checks that no component is null. */
    public ParsedRequestHead {
        Objects.requireNonNull(startLine, "startLine");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(framing, "framing");
    }

    /**
     * Whether the client wants the connection kept open after this exchange (RFC 9112 §9.3): HTTP/1.1
     * unless the {@code Connection} header lists {@code close}; HTTP/1.0 only if it lists
     * {@code keep-alive} (and not {@code close}). Tokens are compared ignoring case. An HTTP/1.0 message with
     * a Transfer-Encoding never keeps the connection: RFC 9112 §6.1 says to close after processing it.
     */
    public boolean keepAlive() {
        return HttpParser.keepAlive(startLine.version(), headers);
    }
}
