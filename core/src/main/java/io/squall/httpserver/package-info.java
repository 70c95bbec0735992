/**
 * The HTTP/1.1 server (Tornado's {@code httpserver}, and the server half of {@code http1connection}).
 *
 * <ul>
 *   <li>{@link io.squall.httpserver.HttpServer}: a {@code TcpServer} that serves each connection with a
 *       coroutine, handing every request to the {@link io.squall.http.HttpMessageDelegate} its
 *       {@link io.squall.httpserver.HttpServerConnectionDelegate} returns; configured by
 *       {@link io.squall.httpserver.HttpServerOptions} (keep-alive, {@code xheaders}, limits, timeouts,
 *       TLS, request decompression).</li>
 *   <li>{@link io.squall.httpserver.HttpServerRequest}: a whole request (method, target, headers, body,
 *       arguments) as Tornado's {@code HTTPServerRequest}, for the web framework and simple
 *       delegates.</li>
 * </ul>
 *
 * <p>The connection reads pipelined requests in order and answers them in order; each request has an
 * object of its own, which holds the request's state and encodes its response, while the connection
 * keeps only what outlives a request (the stream, the idle timer, who runs the request loop). Bad input
 * ends in one 4xx response and a close in stages, so that a client still sending reads its answer.
 */
package io.squall.httpserver;
