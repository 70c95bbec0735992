package io.squall.web;

import io.squall.http.HttpUtil;

/**
 * Thrown from a {@link RequestHandler} to answer with an HTTP error (Tornado's {@code HTTPError}): the
 * handler's {@link RequestHandler#sendError} writes the error page for {@link #status()}.
 *
 * <p>It is not a bug, so it is logged without a stack trace: as a warning to {@code io.squall.web.general}
 * if it carries a {@link #logMessage()}, not at all otherwise (the access log still records the status).
 *
 * <pre>{@code
 * if (user == null) {
 *     throw new HttpError(404, "no user " + id);
 * }
 * }</pre>
 */
public class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String logMessage;
    private final String reason;

    /** An error with the standard reason phrase of {@code status} and nothing to log. */
    public HttpError(int status) {
        this(status, null, null);
    }

    /**
     * An error with the standard reason phrase of {@code status}.
     *
     * @param logMessage what to log (a warning), or null to log nothing; never shown to the client
     */
    public HttpError(int status, String logMessage) {
        this(status, logMessage, null);
    }

    /**
     * An error with a custom reason phrase.
     *
     * @param logMessage what to log (a warning), or null to log nothing; never shown to the client
     * @param reason the reason phrase of the status line and the error page, or null for the standard one
     *     (one with CR, LF, other control characters or {@code <} becomes "Unknown")
     * @throws IllegalArgumentException if {@code status} does not have three digits
     */
    public HttpError(int status, String logMessage, String reason) {
        super(describe(status, logMessage, reason));
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status must have three digits: " + status);
        }
        this.status = status;
        this.logMessage = logMessage;
        this.reason = reason;
    }

    private static String describe(int status, String logMessage, String reason) {
        String message = "HTTP " + status + ": " + (reason != null ? reason : HttpUtil.reasonPhrase(status));
        return logMessage == null ? message : message + " (" + logMessage + ")";
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }

    /** What to log, or null. */
    public String logMessage() {
        return logMessage;
    }

    /** The custom reason phrase, or null for the standard one. */
    public String reason() {
        return reason;
    }
}
