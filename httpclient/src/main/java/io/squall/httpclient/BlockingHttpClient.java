package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;

import io.squall.gen.Coroutines;
import io.squall.ioloop.IOLoop;

/**
 * A blocking HTTP client for scripts, tests and code without a loop (Tornado's {@code HTTPClient}): it
 * owns a private {@link IOLoop} on its own thread and an {@link AsyncHttpClient} on it, and each
 * {@code fetch} blocks the calling thread until the response is in. Safe to share between threads;
 * close it to stop its loop. (Named apart from {@link java.net.http.HttpClient}, which code often uses
 * beside it.)
 *
 * <pre>{@code
 * try (BlockingHttpClient client = new BlockingHttpClient()) {
 *     System.out.println(client.fetch("http://localhost:8888/").text());
 * }
 * }</pre>
 */
public final class BlockingHttpClient implements AutoCloseable {
    private final IOLoop loop = new IOLoop();
    private final Thread thread;
    private final AsyncHttpClient client;

    /** A client with default options. */
    public BlockingHttpClient() {
        this(HttpClientOptions.DEFAULTS);
    }

    /** A client with {@code options}. */
    public BlockingHttpClient(HttpClientOptions options) {
        this.client = AsyncHttpClient.create(loop, options);
        this.thread = loop.startThread("squall-http-client");
    }

    /** Fetches {@code url} with GET; see {@link #fetch(HttpRequest, boolean)}. */
    public HttpResponse fetch(String url) {
        return fetch(HttpRequest.get(url), true);
    }

    /** Fetches {@code request}, failing on a status outside 2xx; see {@link #fetch(HttpRequest, boolean)}. */
    public HttpResponse fetch(HttpRequest request) {
        return fetch(request, true);
    }

    /**
     * Fetches {@code request} and waits for the response. Callbacks of the request (body producer,
     * header and streaming callbacks) run on the client's loop thread.
     *
     * @throws HttpClientException (a subclass naming what failed) as {@link AsyncHttpClient#fetch} does
     * @throws IllegalStateException if called on this client's own loop, which would deadlock
     */
    public HttpResponse fetch(HttpRequest request, boolean raiseError) {
        if (loop.inLoop()) {
            throw new IllegalStateException("BlockingHttpClient.fetch called from its own loop: use AsyncHttpClient there");
        }
        return await(client.fetch(request, raiseError));
    }

    /** Closes the connections and stops the loop thread. */
    @Override
    public void close() {
        if (loop.isClosed()) {
            return;
        }
        await(Coroutines.spawnOn(loop, () -> {
            client.close();
            return null;
        }));
        loop.stop();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.close();
    }
}
