package io.squall.http1;

import io.squall.http.HttpHeaders;
import io.squall.http.ResponseStartLine;
import java.util.Objects;

/**
 * A response head that passed {@link HttpParser#parseResponseHead}: its status line, its header fields,
 * and how its body is framed given the request it answers.
 *
 * @param startLine the status line
 * @param headers the header fields in arrival order
 * @param framing how the body is delimited; {@link BodyFraming#NONE} for a HEAD request, a 1xx, 204 or
 *     304 status, or a 2xx answer to CONNECT
 */
public record ParsedResponseHead(ResponseStartLine startLine, HttpHeaders headers, BodyFraming framing) {
    /** Checks that no component is null. */
    public ParsedResponseHead {
        Objects.requireNonNull(startLine, "startLine");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(framing, "framing");
    }

    /**
     * Whether this is an interim response (1xx other than 101 Switching Protocols, such as 100 Continue or
     * 103 Early Hints): the final response to the same request follows it on the connection.
     */
    public boolean isInterim() {
        int code = startLine.code();
        return code >= 100 && code < 200 && code != 101;
    }

    /**
     * Whether the connection can carry another request after this response's body: same rules as
     * {@link ParsedRequestHead#keepAlive()}, and never when the body is delimited by the close.
     */
    public boolean keepAlive() {
        return !(framing instanceof BodyFraming.UntilClose) && HttpParser.keepAlive(startLine.version(), headers);
    }
}
