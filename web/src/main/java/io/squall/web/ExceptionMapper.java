package io.squall.web;

/**
 * Writes the response for exceptions of one type, application-wide ({@link Application.Builder#exceptionMapper}):
 * an error page written once for every handler, or a domain exception turned into a status.
 *
 * <pre>{@code
 * Application.builder()
 *         .exceptionMapper(NoSuchElementException.class, (handler, e) -> {
 *             handler.setStatus(404);
 *             handler.write(Map.of("error", e.getMessage()));
 *         })
 *         .exceptionMapper(HttpError.class, (handler, e) -> handler.render("error.html", ...))
 * }</pre>
 *
 * It runs in place of the handler's default {@link RequestHandler#writeError} (a handler that overrides
 * {@code writeError} keeps its own pages), after the response was cleared and its status set: that of an
 * {@link HttpError}, 500 for anything else. The response is finished afterwards if the mapper did not.
 * An exception other than an {@code HttpError} that a mapper handles is logged with its stack trace only if
 * the response ends with a status of 500 or more; otherwise its class and message end the access log line.
 *
 * @param <E> the type of exception handled
 */
@FunctionalInterface
public interface ExceptionMapper<E extends Throwable> {
    /** Writes the response to {@code exception} through {@code handler} (status, headers, body). */
    void writeResponse(RequestHandler handler, E exception) throws Exception;
}
