package io.squall.web;

/**
 * Thrown by {@link RequestHandler#getArgument(String)} and its siblings when a required argument is
 * missing (Tornado's {@code MissingArgumentError}): a 400 response that tells the client, and logs, "Missing argument NAME".
 */
public final class MissingArgumentError extends HttpError {
    private static final long serialVersionUID = 1L;

    private final String argumentName;

    /** The error for the missing argument {@code argumentName}. */
    public MissingArgumentError(String argumentName) {
        super(400, "Missing argument " + argumentName, null, "Missing argument " + argumentName);
        this.argumentName = argumentName;
    }

    /** The name of the missing argument. */
    public String argumentName() {
        return argumentName;
    }
}
