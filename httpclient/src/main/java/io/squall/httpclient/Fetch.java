package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.gen.Coroutines;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import io.squall.iostream.IOStream;
import io.squall.locks.Permit;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * One call to {@link AsyncHttpClient#fetch}: waits for a client slot, runs the hops (following redirects
 * in the same slot), builds the {@link HttpResponse} and keeps the timing. The request timeout is one
 * loop timer over the whole fetch: when it fires, the caller's future fails with a timeout naming the
 * phase, and the fetch's coroutine is cancelled, which closes its connection wherever it was waiting.
 */
final class Fetch {
    private final AsyncHttpClient client;
    private final IOLoop loop;
    private final HttpRequest request;
    private final boolean raiseError;
    /** Whether the request asks for a protocol upgrade: a 101 then ends the fetch with the stream handed over. */
    private final boolean upgrade;
    private IOStream upgradedStream;
    private final long start;
    private final Instant startTime = Instant.now();
    private final Future<HttpResponse> result = new Future<>();
    private FetchPhase phase = FetchPhase.QUEUE;
    private long queueNanos;
    private long connectNanos;
    private long tlsNanos;
    private long firstByteNanos;
    private boolean reusedConnection;
    private HttpRequest hop;

    Fetch(AsyncHttpClient client, HttpRequest request, boolean raiseError, boolean upgrade) {
        this.client = client;
        this.upgrade = upgrade;
        this.loop = client.loop();
        this.request = Objects.requireNonNull(request, "request");
        this.raiseError = raiseError;
        this.start = loop.time();
        this.hop = request;
    }

    /** Starts the fetch on the client's loop (from any thread) and returns the caller's future. */
    Future<HttpResponse> start() {
        Future<HttpResponse> body = Coroutines.spawnOn(loop, this::run);
        body.addDoneCallback(f -> {
            if (f.isCancelled()) {
                result.cancel();
            } else if (f.isFailed()) {
                result.trySetException(f.exception());
            } else {
                result.trySetResult(f.result());
            }
        });
        result.addDoneCallback(r -> {
            if (!body.isDone()) {
                // The caller gave up or the request timeout fired: the coroutine closes its connection
                // and frees its slot.
                body.cancel();
            }
        });
        return result;
    }

    private HttpResponse run() {
        Timeout deadline = request.requestTimeout().isZero() ? null
                : loop.callAt(start + request.requestTimeout().toNanos(), this::onDeadline);
        Permit slot = null;
        try {
            slot = acquireSlot();
            queueNanos = loop.time() - start;
            for (int redirects = 0; ; redirects++) {
                Exchange.Result hopResult = Exchange.run(client, this, hop, hop.maxRedirects() - redirects);
                if (hopResult.redirect()) {
                    hop = redirect(hop, hopResult.head().startLine().code(), hopResult.head().headers().get("Location"));
                    continue;
                }
                HttpResponse response = new HttpResponse(request, hopResult.head().startLine().version(),
                        hopResult.head().startLine().code(), hopResult.head().startLine().reason(), hopResult.headers(),
                        hopResult.body(), HttpRequest.withoutUserInfo(hop.uri()), startTime, timing());
                upgradedStream = hopResult.upgraded();
                if (raiseError && !response.isSuccess() && upgradedStream == null) {
                    throw new HttpClientError(response);
                }
                return response;
            }
        } finally {
            if (slot != null) {
                slot.close();
            }
            if (deadline != null) {
                deadline.cancel();
            }
        }
    }

    private Permit acquireSlot() {
        Duration queueTimeout = queueTimeout();
        Future<Permit> waiting = queueTimeout == null ? client.slots().acquire() : client.slots().acquire(queueTimeout);
        try {
            return await(waiting);
        } catch (OperationTimeoutException e) {
            throw new QueueTimeoutException(queueTimeout, client.options().maxClients(), request);
        } catch (CancellationException e) {
            if (!waiting.cancel() && waiting.isDone() && !waiting.isFailed()) {
                waiting.result().close(); // a permit arrived just as the fetch was cancelled
            }
            throw e;
        }
    }

    /** The lesser of the connect and request timeouts (zero counting as none), or null for none. */
    private Duration queueTimeout() {
        Duration connect = request.connectTimeout();
        Duration total = request.requestTimeout();
        if (connect.isZero()) {
            return total.isZero() ? null : total;
        }
        return total.isZero() || connect.compareTo(total) < 0 ? connect : total;
    }

    private void onDeadline() {
        HttpTimeoutException timeout = phase == FetchPhase.QUEUE
                ? new QueueTimeoutException(request.requestTimeout(), client.options().maxClients(), request)
                : new RequestTimeoutException(phase, request.requestTimeout(), hop);
        result.trySetException(timeout);
    }

    /**
     * The request for the next hop: the Location resolved against the current URL; 301 and 302 turn POST
     * into GET, 303 turns everything but HEAD into GET (the body and its headers dropped); 307 and 308
     * keep method and body. Going to another origin (scheme, host or port) drops Authorization, Cookie and
     * credentials, so that they never reach a server they were not meant for.
     */
    private HttpRequest redirect(HttpRequest from, int code, String location) {
        URI target;
        try {
            target = from.uri().resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new MalformedResponseException("Redirect " + code + " to an invalid Location " + location,
                    FetchPhase.RESPONSE_HEADERS, from, e);
        }
        HttpRequest.Builder next;
        try {
            next = from.toBuilder().uri(target);
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException("Redirect " + code + " to a URL that is not http or https: "
                    + location, FetchPhase.RESPONSE_HEADERS, from, e);
        }
        next.removeHeader("Host");
        String method = from.method();
        if ((code == 301 || code == 302) && method.equals("POST") || code == 303 && !method.equals("HEAD")) {
            next.method("GET").body((byte[]) null);
            for (String name : new String[] {"Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding"}) {
                next.removeHeader(name);
            }
        }
        if (!sameOrigin(from.uri(), target)) {
            next.removeHeader("Authorization").removeHeader("Cookie").clearCredentials();
            if (target.getRawUserInfo() != null) {
                next.uri(HttpRequest.withoutUserInfo(target));
            }
        }
        return next.build();
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && AsyncHttpClient.port(a) == AsyncHttpClient.port(b);
    }

    private FetchTiming timing() {
        return new FetchTiming(Duration.ofNanos(queueNanos), Duration.ofNanos(connectNanos), Duration.ofNanos(tlsNanos),
                Duration.ofNanos(firstByteNanos), Duration.ofNanos(loop.time() - start), reusedConnection);
    }

    // ------------------------------------------------------------------ progress, reported by the hop

    boolean upgrading() {
        return upgrade;
    }

    /** The stream a 101 answer handed over, or null. */
    IOStream upgradedStream() {
        return upgradedStream;
    }

    void enter(FetchPhase next) {
        phase = next;
    }

    FetchPhase phase() {
        return phase;
    }

    void connectTime(long nanos) {
        connectNanos += nanos;
    }

    void tlsTime(long nanos) {
        tlsNanos += nanos;
    }

    void firstByte() {
        firstByteNanos = loop.time() - start;
    }

    void reusedConnection(boolean reused) {
        reusedConnection = reused;
    }

    @Override
    public String toString() {
        return "fetch of " + request + " (" + phase.name().toLowerCase(Locale.ROOT) + ")";
    }
}
