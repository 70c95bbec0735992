package io.squall.web;

/**
 * Thrown from a {@link RequestHandler} to end the request without an error page (Tornado's
 * {@code Finish}): the handler finishes the response as it stands (status, headers and body written so
 * far are kept), after writing the optional chunk. Nothing is logged.
 *
 * <pre>{@code
 * setStatus(401);
 * setHeader("WWW-Authenticate", "Basic realm=\"app\"");
 * throw new Finish("authentication required");
 * }</pre>
 */
public final class Finish extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What to write before finishing, or null. */
    private final transient Object chunk;

    /** Ends the request with what was written so far. */
    public Finish() {
        this(null);
    }

    /**
     * Ends the request after writing {@code chunk} (anything {@link RequestHandler#write(Object)} accepts).
     */
    public Finish(Object chunk) {
        super("Finish", null, false, false);
        this.chunk = chunk;
    }

    /** What to write before finishing, or null. */
    public Object chunk() {
        return chunk;
    }
}
