package io.squall.web;

import io.squall.http.HttpUtil;

/**
 * Thrown from a {@link RequestHandler} to answer with an HTTP error (Tornado's {@code HTTPError}): the
 * handler's {@link RequestHandler#sendError} writes the error page for {@link #status()}.
 *
 * <p>It is not a bug, so it is logged without a stack trace, on one line: its {@link #logMessage()}, if
 * any, is added to the request's access log line. What the client reads is the {@link #clientMessage()},
 * if any, in the error page (or in the {@code error} member of a JSON error); the log message is never
 * shown to the client.
 *
 * <pre>{@code
 * if (user == null) {
 *     throw new HttpError(404, "user " + id + " asked by " + caller, null, "no user " + id);
 *     // or, with the same message for both: throw HttpError.withMessage(404, "no user " + id);
 * }
 * }</pre>
 */
public class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String logMessage;
    private final String reason;
    private final String clientMessage;

    /** An error with the standard reason phrase of {@code status} and nothing to log. */
    public HttpError(int status) {
        this(status, null, null, null);
    }

    /**
     * An error with the standard reason phrase of {@code status}.
     *
     * @param logMessage what to log, or null to log nothing; never shown to the client
     */
    public HttpError(int status, String logMessage) {
        this(status, logMessage, null, null);
    }

    /**
     * An error with a custom reason phrase.
     *
     * @param logMessage what to log, or null to log nothing; never shown to the client
     * @param reason the reason phrase of the status line and the error page, or null for the standard one
     *     (one with CR, LF, other control characters or {@code <} becomes "Unknown")
     * @throws IllegalArgumentException if {@code status} does not have three digits
     */
    public HttpError(int status, String logMessage, String reason) {
        this(status, logMessage, reason, null);
    }

    /**
     * An error with a custom reason phrase and a message for the client.
     *
     * @param logMessage what to log, or null to log nothing; never shown to the client
     * @param reason the reason phrase, or null for the standard one (see {@link #HttpError(int, String, String)})
     * @param clientMessage what the error page tells the client, or null for the reason phrase alone
     * @throws IllegalArgumentException if {@code status} does not have three digits
     */
    public HttpError(int status, String logMessage, String reason, String clientMessage) {
        super(describe(status, logMessage, reason));
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status must have three digits: " + status);
        }
        this.status = status;
        this.logMessage = logMessage;
        this.reason = reason;
        this.clientMessage = clientMessage;
    }

    /** An error whose {@code message} is both shown to the client and logged. */
    public static HttpError withMessage(int status, String message) {
        return new HttpError(status, message, null, message);
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

    /** What the error page tells the client, or null. */
    public String clientMessage() {
        return clientMessage;
    }

    /** The custom reason phrase, or null for the standard one. */
    public String reason() {
        return reason;
    }
}
