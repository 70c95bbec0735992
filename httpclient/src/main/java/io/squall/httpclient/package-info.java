/**
 * The asynchronous HTTP/1.1 client (Tornado's {@code httpclient} and {@code simple_httpclient}).
 *
 * <ul>
 *   <li>{@link io.squall.httpclient.AsyncHttpClient}: one per loop; fetches run as coroutines on it,
 *       behind a FIFO queue of {@code maxClients}, over a keep-alive connection pool, through HTTP proxies
 *       ({@code CONNECT} for https), following redirects and decoding gzip/deflate;
 *       {@link io.squall.httpclient.BlockingHttpClient} owns a loop for callers without one.</li>
 *   <li>{@link io.squall.httpclient.HttpRequest} (a builder) and {@link io.squall.httpclient.HttpResponse}
 *       (status, headers, body, {@code json()} through Jackson, timings);
 *       {@link io.squall.httpclient.HttpClientOptions} for client-wide settings.</li>
 *   <li>{@link io.squall.httpclient.HttpClientException} and its subclasses: every failure names the
 *       {@link io.squall.httpclient.FetchPhase} it happened in (queue, DNS, connect, proxy, TLS, send,
 *       response), and {@link io.squall.httpclient.HttpClientError} carries a non-2xx response.</li>
 * </ul>
 *
 * <p>The wire format (head reader, parser, chunked coding) is the one the server uses, from
 * {@code io.squall.http1}.
 */
package io.squall.httpclient;
