package io.squall.httpclient;

import java.nio.charset.StandardCharsets;

/**
 * Writes a request body piece by piece, for bodies too large to hold in memory or produced as they go
 * (Tornado's {@code body_producer}). It runs in the fetch's coroutine on the loop, so it may
 * {@code await}; each {@link Writer#write} waits until the connection has taken the bytes, which keeps
 * memory bounded however fast the producer is. Without a {@code Content-Length} header on the request the
 * body is sent chunked; with one, the producer must write exactly that many bytes.
 *
 * <p>A 307 or 308 redirect keeps the method and the body, so the producer is called again for the new
 * location (as Tornado does): it must be able to produce its body more than once, or the request should
 * not follow redirects ({@link HttpRequest.Builder#followRedirects(boolean)}). A request with a producer
 * is never retried on a fresh connection after a stale pooled one fails.
 *
 * <pre>{@code
 * HttpRequest upload = HttpRequest.builder("http://example.com/upload").method("PUT")
 *         .bodyProducer(out -> {
 *             for (byte[] block : blocks) {
 *                 out.write(block);
 *             }
 *         })
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface BodyProducer {
    /**
     * Writes the whole body to {@code out} and returns when done. An exception aborts the request: the
     * fetch fails with it and the connection is closed.
     */
    void produce(Writer out) throws Exception;

    /** Where a {@link BodyProducer} writes. */
    interface Writer {
        /**
         * Sends {@code data} and waits until the connection has taken it (suspending the coroutine while
         * the socket is full). Do not change the array until this returns.
         */
        void write(byte[] data);

        /** Sends {@code text} encoded as UTF-8. */
        default void write(String text) {
            write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
