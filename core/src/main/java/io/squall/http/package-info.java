/**
 * HTTP/1.x message parsing, without I/O (Tornado's {@code httputil} and the parsing half of
 * {@code http1connection}), for the HTTP server and client built on top of it.
 *
 * <ul>
 *   <li>{@link io.squall.http.HttpParser}: parses a request head ({@link io.squall.http.ParsedRequestHead})
 *       or a response head ({@link io.squall.http.ParsedResponseHead}) from the bytes of a header block,
 *       decides the {@link io.squall.http.BodyFraming} and keep-alive, and finds where a head ends in a
 *       buffer.</li>
 *   <li>{@link io.squall.http.ChunkedDecoder}: decodes a chunked body incrementally, with its trailers.</li>
 *   <li>{@link io.squall.http.HttpHeaders}: the case-insensitive, order-preserving multimap of header
 *       fields, with the validation that keeps CR and LF out of written headers.</li>
 *   <li>{@link io.squall.http.RequestStartLine}, {@link io.squall.http.ResponseStartLine}: the first line
 *       of a message.</li>
 *   <li>{@link io.squall.http.HttpInputException}: malformed or over-limit input, with the status code to
 *       answer (400, 413, 431, 505; 502 for a bad response).</li>
 *   <li>{@link io.squall.http.HttpUtil}: query-string decoding, HTTP dates, reason phrases,
 *       {@code host:port} splitting.</li>
 * </ul>
 *
 * <p>Requests are parsed strictly (RFC 9112), since leniency that differs from a proxy's is what request
 * smuggling exploits; responses are parsed with the leniency RFC 9112 asks of clients (bare LF, obs-fold).
 * All parsing reads bytes directly, in one pass, in time linear in the input, and is covered by the llhttp
 * test vectors and by fuzz tests. Header bytes are ISO-8859-1: each byte becomes one {@code char}.
 */
package io.squall.http;
