/**
 * Internal: the HTTP/1.x wire format, without I/O policy (the parsing and framing half of Tornado's
 * {@code http1connection}), for the server in {@code io.squall.httpserver} and the client in
 * {@code io.squall.httpclient}.
 *
 * <ul>
 *   <li>{@link io.squall.http1.HeadReader}: reads one head off a stream, however its bytes are split,
 *       bounded by the maximum header size.</li>
 *   <li>{@link io.squall.http1.HttpParser}: parses a request head ({@link io.squall.http1.ParsedRequestHead})
 *       or a response head ({@link io.squall.http1.ParsedResponseHead}), decides the
 *       {@link io.squall.http1.BodyFraming} and keep-alive.</li>
 *   <li>{@link io.squall.http1.ContentLength}: the one reader of {@code Content-Length} values.</li>
 *   <li>{@link io.squall.http1.ChunkedDecoder} and {@link io.squall.http1.ChunkedEncoder}: the chunked
 *       transfer coding, read incrementally (with trailers) and written.</li>
 * </ul>
 *
 * <p>Requests are parsed strictly (RFC 9112), since leniency that differs from a proxy's is what request
 * smuggling exploits; responses are parsed with the leniency RFC 9112 asks of clients (bare LF, obs-fold).
 * All parsing reads bytes directly, in one pass, in time linear in the input, and is covered by the llhttp
 * test vectors and by fuzz tests. Header bytes are ISO-8859-1: each byte becomes one {@code char}.
 *
 * <p>Not part of Squall's API: the {@code io.squall.core} module exports it only to
 * {@code io.squall.httpclient}.
 */
package io.squall.http1;
