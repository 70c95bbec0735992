package io.squall.web.multipart;

/**
 * A {@code multipart/form-data} body that cannot be accepted: malformed (status 400) or over a limit (413).
 * The message says what is wrong, without echoing the body.
 */
public final class MultipartException extends Exception {
    private final int status;

    /** An error answered with {@code status}. */
    public MultipartException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** A malformed body: 400. */
    static MultipartException malformed(String message) {
        return new MultipartException(400, "Invalid multipart/form-data: " + message);
    }

    /** The HTTP status to answer with: 400 or 413. */
    public int status() {
        return status;
    }
}
