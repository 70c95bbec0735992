/**
 * The HTTP client benchmark: batches of fetches by Squall's {@code AsyncHttpClient} and by the JDK's
 * {@code HttpClient}, timed by wall clock and CPU ({@link io.squall.bench.httpclient.ClientLoad}); run by
 * {@code bench/scripts/httpclient.sh}.
 */
package io.squall.bench.httpclient;
