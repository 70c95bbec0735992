/**
 * The web framework (Tornado's {@code web} and {@code routing}) over Squall's HTTP server.
 *
 * <ul>
 *   <li>{@link io.squall.web.Application}: the routes and settings; serves itself with
 *       {@link io.squall.web.Application#listen(int)}.</li>
 *   <li>{@link io.squall.web.Route}: a path regex (an implicit {@code $}; groups all positional or all
 *       named, percent-decoded), the factory of its handlers, an optional name for
 *       {@link io.squall.web.Application#reverseUrl}.</li>
 *   <li>{@link io.squall.web.RequestHandler}: one per request; its lifecycle runs as a coroutine, so
 *       {@code prepare()}, {@code get()}... may {@code await}. Arguments, cookies, headers, JSON bodies,
 *       redirects, ETags, error pages.</li>
 *   <li>{@link io.squall.web.HttpError}, {@link io.squall.web.MissingArgumentError},
 *       {@link io.squall.web.Finish}: exceptions that end a request.</li>
 *   <li>{@link io.squall.web.ErrorHandler}, {@link io.squall.web.RedirectHandler}: built-in handlers.</li>
 * </ul>
 *
 * <pre>{@code
 * class UserHandler extends RequestHandler {
 *     @Override
 *     protected void get() {
 *         await(sleep(Duration.ofMillis(10)));              // any step may await
 *         write(Map.of("id", pathKwargs().get("id")));      // written as JSON
 *     }
 * }
 *
 * Application app = Application.builder()
 *         .route("/user/(?<id>[0-9]+)", UserHandler::new, "user")
 *         .route("/u/(.*)", () -> new RedirectHandler("/user/{0}"))
 *         .build();
 * app.listen(8888);
 * IOLoop.current().start();
 * }</pre>
 */
package io.squall.web;
