package io.squall.web;

/**
 * Application-wide hooks around every request ({@link Application.Builder#filter}), for what concerns all
 * handlers alike: request IDs, metrics, authentication checks, CORS ({@link CorsFilter}). A filter is
 * shared by all requests (and loops): keep per-request state in the handler's
 * {@linkplain RequestHandler#setAttribute attributes}. Requests no route matches go through the filters
 * too, on their way to the default handler.
 *
 * <pre>{@code
 * Filter requestIds = new Filter() {
 *     public void before(RequestHandler handler) {
 *         handler.setAttribute("requestId", UUID.randomUUID().toString());
 *     }
 *
 *     public void beforeResponse(RequestHandler handler) {        // error pages too
 *         handler.setHeader("X-Request-Id", (String) handler.attribute("requestId"));
 *     }
 * };
 * }</pre>
 *
 * Filters run in the order they were added, each hook on the request's loop.
 */
public interface Filter {
    /**
     * Called before the handler's {@link RequestHandler#prepare()} (after its {@code initialize()}, before the
     * check of its methods); it may await. It may answer the request itself, by finishing the response
     * (the later filters and the handler then do not run), or by throwing an {@link HttpError} (an error
     * response, as if the handler had thrown it). Nothing by default.
     */
    default void before(RequestHandler handler) throws Exception {}

    /**
     * Called once per response, just before its status line and headers are sent (by
     * {@link RequestHandler#flush()} or {@link RequestHandler#finish()}, error pages included): the status
     * and headers may still be changed here, the body no more. It must not await; what it throws is logged
     * and the response goes on. Nothing by default.
     */
    default void beforeResponse(RequestHandler handler) {}

    /**
     * Called once the response is finished (with {@link RequestHandler#onFinish()}); what it throws is
     * logged. Nothing by default.
     */
    default void after(RequestHandler handler) {}
}
