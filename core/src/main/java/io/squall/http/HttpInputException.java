package io.squall.http;

/**
 * Malformed or over-limit HTTP input (Tornado's {@code HTTPInputError}), carrying the status code a server
 * should answer with before closing the connection.
 *
 * <p>Request parsing uses 400 (Bad Request) for syntax and framing errors, 431 (Request Header Fields Too
 * Large) for an oversized header block or trailer section, 413 (Content Too Large) for a body over its limit
 * and 505 (HTTP Version Not Supported) for a well-formed but unsupported {@code HTTP/x.y}. Response parsing
 * (on the client side) uses 502 (Bad Gateway), what a proxy would answer when its upstream misbehaves. The
 * status is always in the 4xx or 5xx range, and the message names what was wrong.
 */
public final class HttpInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The status code of an error in a request. */
    public static final int BAD_REQUEST = 400;
    /** The status code of an error in a response (the upstream of a client or proxy misbehaved). */
    public static final int BAD_GATEWAY = 502;

    /** The HTTP status to answer with. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status to answer with, from 400 to 599
     * @param message what was wrong with the input
     * @throws IllegalArgumentException if {@code status} is not a 4xx or 5xx code
     */
    public HttpInputException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("HttpInputException needs a 4xx or 5xx status, not " + status);
        }
        this.status = status;
    }

    /** The HTTP status a server should answer with (400, 413, 431, 505...; 502 for a bad response). */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return "HttpInputException(" + status + "): " + getMessage();
    }
}
