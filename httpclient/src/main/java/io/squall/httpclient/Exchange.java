package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;

import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http1.ChunkedEncoder;
import io.squall.http1.ParsedResponseHead;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * One request and its response on one connection (a redirect hop): takes a pooled connection or opens
 * one, sends the head and body (waiting for {@code 100 Continue} if asked), reads interim responses, the
 * final head and the body as its framing says, decompressing and bounding it, and finally returns the
 * connection to the pool only if it is clean: the response said keep-alive, its body was read to the end,
 * the whole request body went out and nothing failed. Any failure closes the connection.
 *
 * <p>A pooled connection may have been closed by the server just as it was taken. If such a connection
 * fails before any response arrives, an idempotent request without a body producer is sent once more on a
 * new connection.
 */
final class Exchange {
    private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    /**
     * What a hop produced: the final response head, its headers after decoding, the body, and for a
     * {@code 101 Switching Protocols} answering an upgrade, the connection's stream (no longer the client's).
     */
    record Result(ParsedResponseHead head, HttpHeaders headers, byte[] body, boolean redirect, IOStream upgraded) {}

    /** A pooled connection died before the response started: the request may be sent again. */
    private static final class StaleConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaleConnection(Throwable cause) {
            super(cause);
        }
    }

    private final AsyncHttpClient client;
    private final Fetch fetch;
    private final HttpRequest request;
    private final boolean mayRedirect;
    private ClientConnection connection;
    private boolean bodySent;
    /** Whether the final response came before the body was sent (after an {@code Expect: 100-continue}). */
    private boolean earlyResponse;

    private Exchange(AsyncHttpClient client, Fetch fetch, HttpRequest request, int redirectsLeft) {
        this.client = client;
        this.fetch = fetch;
        this.request = request;
        this.mayRedirect = request.followRedirects() && redirectsLeft > 0;
    }

    /** Sends {@code request} and reads its response; {@code redirectsLeft} decides whether a 3xx is a hop. */
    static Result run(AsyncHttpClient client, Fetch fetch, HttpRequest request, int redirectsLeft) {
        PoolKey key = client.poolKey(request);
        boolean mayRetry = IDEMPOTENT.contains(request.method()) && request.bodyProducer() == null;
        while (true) {
            // An upgrade takes a connection of its own: it will not come back, and through a proxy it is a tunnel.
            ClientConnection pooled = fetch.upgrading() ? null : client.pool().take(key);
            ClientConnection connection = pooled != null ? pooled : client.connector().open(fetch, request, key);
            Exchange exchange = new Exchange(client, fetch, request, redirectsLeft);
            try {
                return exchange.on(connection, pooled != null && mayRetry);
            } catch (StaleConnection e) {
                mayRetry = false; // one retry: a second stale connection in a row fails the fetch
            }
        }
    }

    private Result on(ClientConnection connection, boolean retryIfStale) {
        this.connection = connection;
        fetch.reusedConnection(connection.responses > 0);
        IOStream stream = connection.stream;
        try {
            ParsedResponseHead head = send(stream, retryIfStale);
            fetch.firstByte();
            boolean redirect = mayRedirect && REDIRECT_CODES.contains(head.startLine().code())
                    && head.headers().contains("Location");
            if (!redirect && request.headerCallback() != null) {
                reportHead(head);
            }
            if (fetch.upgrading() && head.startLine().code() == 101) {
                connection.responses++;
                return new Result(head, head.headers(), new byte[0], false, stream); // the caller's stream now
            }
            fetch.enter(FetchPhase.RESPONSE_BODY);
            HttpHeaders headers = head.headers();
            byte[] body = new BodyReader(client.options(), request, stream,
                    redirect ? null : request.streamingCallback()).read(head.framing(), headers);
            connection.responses++;
            if (reusable(head)) {
                client.pool().release(connection);
            } else {
                stream.close();
            }
            return new Result(head, headers, body, redirect, null);
        } catch (RuntimeException | Error e) {
            stream.close(); // whatever went wrong, the connection's state is unknown
            throw e;
        }
    }

    /** Sends the request and returns the final response head, after any interim responses. */
    private ParsedResponseHead send(IOStream stream, boolean retryIfStale) {
        ProxySettings proxy = connection.key.proxy();
        boolean absoluteForm = proxy != null && !connection.key.tls() && !fetch.upgrading();
        byte[] head = RequestHead.encode(request, client.options().userAgent(), absoluteForm,
                absoluteForm ? proxy.authorization() : null, client.options().pooling());
        boolean waitForContinue = request.expect100Continue() && request.hasBody();
        fetch.enter(FetchPhase.SEND);
        try {
            if (request.body() != null && !waitForContinue) {
                await(stream.write(ByteBuffer.wrap(head), ByteBuffer.wrap(request.body())));
                bodySent = true;
            } else {
                await(stream.write(head));
                if (!waitForContinue) {
                    sendBody(stream);
                }
            }
            fetch.enter(FetchPhase.RESPONSE_HEADERS);
            while (true) {
                ParsedResponseHead response = readHead();
                retryIfStale = false;
                if (!response.isInterim()) {
                    earlyResponse = !bodySent;
                    return response;
                }
                if (response.startLine().code() == 100 && !bodySent) {
                    fetch.enter(FetchPhase.SEND);
                    sendBody(stream);
                    fetch.enter(FetchPhase.RESPONSE_HEADERS);
                }
            }
        } catch (StreamClosedError e) {
            if (retryIfStale) {
                throw new StaleConnection(e);
            }
            if (Exceptions.rootCause(e) instanceof SSLHandshakeException refused) {
                // TLS 1.3 ends the client's side of the handshake before the server has checked it: a
                // server refusing (a missing or untrusted client certificate) says so with the first reads.
                throw new TlsFailureException(connection.key.authority(), request, refused);
            }
            throw new StreamClosedEarlyException("Connection to " + connection.key.authority() + " closed "
                    + (fetch.phase() == FetchPhase.SEND ? "while the request was sent" : "before the response head")
                    + ": " + Exceptions.rootCause(e), fetch.phase(), request, Exceptions.rootCause(e));
        }
    }

    private void sendBody(IOStream stream) {
        if (request.body() != null) {
            await(stream.write(request.body()));
        } else if (request.bodyProducer() != null) {
            boolean chunked = RequestHead.bodyMode(request) == RequestHead.BodyMode.CHUNKED;
            try {
                request.bodyProducer().produce(data -> {
                    if (data.length == 0) {
                        return;
                    }
                    if (chunked) {
                        List<ByteBuffer> framed = new ArrayList<>(3);
                        ChunkedEncoder.addChunk(ByteBuffer.wrap(data), framed);
                        await(stream.write(framed.toArray(ByteBuffer[]::new)));
                    } else {
                        await(stream.write(data));
                    }
                });
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new HttpClientException("The body producer of " + request + " failed: " + e, FetchPhase.SEND,
                        request, e);
            }
            if (chunked) {
                await(stream.write(ChunkedEncoder.lastChunk()));
            }
        }
        bodySent = true;
    }

    private ParsedResponseHead readHead() {
        IOStream stream = connection.stream;
        byte[] bytes;
        try {
            bytes = connection.headReader.read(n -> stream.readBytes(n, true));
        } catch (HttpInputException e) {
            throw new ResponseTooLargeException("Response head from " + connection.key.authority()
                    + " is larger than maxHeaderSize", FetchPhase.RESPONSE_HEADERS, client.options().maxHeaderSize(),
                    request);
        }
        try {
            return client.parser().parseResponseHead(bytes, request.method());
        } catch (HttpInputException e) {
            throw new MalformedResponseException("Invalid response from " + connection.key.authority() + ": "
                    + e.getMessage(), FetchPhase.RESPONSE_HEADERS, request, e);
        }
    }

    /** Gives the header callback the head as Tornado does: status line, each field line, an empty line. */
    private void reportHead(ParsedResponseHead head) {
        var callback = request.headerCallback();
        var line = head.startLine();
        callback.accept(line.version() + " " + line.code() + " " + line.reason() + "\r\n");
        head.headers().forEach((name, value) -> callback.accept(name + ": " + value + "\r\n"));
        callback.accept("\r\n");
    }

    private boolean reusable(ParsedResponseHead head) {
        return client.options().pooling() && head.keepAlive() && bodySent && !earlyResponse
                && head.startLine().code() != 101
                && !request.headersView().containsToken("Connection", "close");
    }
}
