/**
 * The HTTP vocabulary shared by Squall's server, client and web framework (Tornado's {@code httputil}):
 * no I/O and no wire format here, only the types an application sees.
 *
 * <ul>
 *   <li>{@link io.squall.http.HttpHeaders}: the case-insensitive, order-preserving multimap of header
 *       fields, with the validation that keeps CR and LF out of written headers.</li>
 *   <li>{@link io.squall.http.RequestStartLine}, {@link io.squall.http.ResponseStartLine}: the first line
 *       of a message.</li>
 *   <li>{@link io.squall.http.HttpConnection} and {@link io.squall.http.HttpMessageDelegate}: the two
 *       sides of one request as an application serves it (Tornado's {@code HTTPConnection} and
 *       {@code HTTPMessageDelegate}): the delegate receives the request, the connection takes the
 *       response.</li>
 *   <li>{@link io.squall.http.HttpInputException}: malformed or over-limit input, with the status code to
 *       answer (400, 413, 431, 505; 502 for a bad response).</li>
 *   <li>{@link io.squall.http.HttpUtil}: query-string decoding, HTTP dates, reason phrases,
 *       {@code host:port} splitting; {@link io.squall.http.SquallVersion}.</li>
 * </ul>
 *
 * <p>The HTTP/1.1 wire format (parser, chunked coding, body framing) is internal to Squall, in
 * {@code io.squall.http1}; the server is {@code io.squall.httpserver}, the client
 * {@code io.squall.httpclient}.
 */
package io.squall.http;
