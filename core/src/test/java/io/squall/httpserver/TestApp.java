package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.fail;

import io.squall.concurrent.Future;
import io.squall.gen.Coroutines.CoroutineBody;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.HttpUtil;
import io.squall.http.RequestStartLine;
import io.squall.http.ResponseStartLine;
import io.squall.locks.Condition;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The delegate the server tests serve with: a minimal application whose per-request behaviour is
 * pluggable ({@link Behaviour}), and which records what it saw (every request as an {@link Exchange},
 * closed connections) so that tests can wait for and assert on it. Confined to the server's loop, like
 * the server: tests read it from coroutines on that loop.
 */
final class TestApp implements HttpServerConnectionDelegate {
    /** How long {@link #awaitUntil} waits before failing the test. */
    static final Duration WAIT = Duration.ofSeconds(5);

    /** What the app does with one request. Every method runs on the connection's loop. */
    interface Behaviour {
        /** The head arrived; may return a future the connection waits for before the body, or throw. */
        default Future<?> headers(Exchange exchange) throws Exception {
            return null;
        }

        /** A piece of the body; by default appended to {@link Exchange#body()}. */
        default Future<?> data(Exchange exchange, ByteBuffer chunk) throws Exception {
            exchange.append(chunk);
            return null;
        }

        /** The whole request was read (called in the connection's coroutine): answer now or later. */
        void finish(Exchange exchange) throws Exception;
    }

    private final Behaviour behaviour;
    private final List<Exchange> exchanges = new ArrayList<>();
    private final Condition changed = new Condition();
    private int connectionsClosed;

    TestApp(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    // ------------------------------------------------------------------ behaviours

    /** Answers 200 with {@link Exchange#echo()} (HEAD included: the server drops the body). */
    static Behaviour echo() {
        return exchange -> exchange.respond(200, exchange.echo());
    }

    /** Answers {@code status} with no body and no Content-Length (for 204 and 304). */
    static Behaviour status(int status) {
        return exchange -> exchange.respondHeadOnly(status, new HttpHeaders());
    }

    /** Waits {@code delay} on a loop timer (the connection's coroutine is free meanwhile), then echoes. */
    static Behaviour delayedEcho(Duration delay) {
        return exchange -> exchange.later(() -> {
            await(sleep(delay));
            await(exchange.respond(200, exchange.echo()));
        });
    }

    /**
     * Answers without a Content-Length (so chunked for HTTP/1.1, close-delimited for HTTP/1.0):
     * {@code pieces} writes of {@code size} bytes each, awaiting each write.
     */
    static Behaviour streaming(int pieces, int size) {
        return exchange -> exchange.later(() -> {
            Future<Void> written = exchange.connection().writeHeaders(
                    new ResponseStartLine("HTTP/1.1", 200, "OK"), new HttpHeaders(), null);
            byte[] piece = new byte[size];
            Arrays.fill(piece, (byte) 'x');
            for (int i = 0; i < pieces; i++) {
                await(written);
                exchange.piecesWritten(i);
                written = exchange.connection().write(ByteBuffer.wrap(piece));
            }
            await(written);
            await(exchange.connection().finish());
        });
    }

    // ------------------------------------------------------------------ what the app saw

    /** Every request so far, in arrival order. */
    List<Exchange> exchanges() {
        return exchanges;
    }

    /** The {@code i}th request (from 0). */
    Exchange exchange(int i) {
        return exchanges.get(i);
    }

    /** How many connections told the app they closed ({@link #onClose}). */
    int connectionsClosed() {
        return connectionsClosed;
    }

    /** Waits (in a coroutine on the app's loop) until {@code condition} holds, failing after {@link #WAIT}. */
    void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !await(changed.waitFor(Duration.ofNanos(left)))) {
                if (!condition.getAsBoolean()) {
                    fail("timed out after " + WAIT.toSeconds() + " s waiting until " + what);
                }
            }
        }
    }

    /** Waits until the app has seen {@code n} requests; returns the last of them. */
    Exchange awaitRequests(int n) {
        awaitUntil(n + " request(s) arrived", () -> exchanges.size() >= n);
        return exchanges.get(n - 1);
    }

    /** Waits until {@code n} connections have closed. */
    void awaitConnectionsClosed(int n) {
        awaitUntil(n + " connection(s) closed", () -> connectionsClosed >= n);
    }

    void changed() {
        changed.signalAll();
    }

    @Override
    public HttpMessageDelegate startRequest(HttpConnection connection) {
        Exchange exchange = new Exchange(this, connection);
        exchanges.add(exchange);
        changed();
        return exchange;
    }

    @Override
    public void onClose(HttpConnection connection) {
        connectionsClosed++;
        changed();
    }

    // ------------------------------------------------------------------ one request

    /** One request as the app saw it, and the helpers its behaviour answers with. */
    static final class Exchange implements HttpMessageDelegate {
        private final TestApp app;
        private final HttpConnection connection;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private RequestStartLine startLine;
        private HttpHeaders headers;
        private String remoteIp;
        private String protocol;
        private int dataCalls;
        private long bytesReceived;
        private boolean finished;
        private boolean connectionClosed;
        private Throwable laterFailure;
        private int piecesWritten;

        Exchange(TestApp app, HttpConnection connection) {
            this.app = app;
            this.connection = connection;
        }

        @Override
        public Future<?> headersReceived(RequestStartLine startLine, HttpHeaders headers) throws Exception {
            this.startLine = startLine;
            this.headers = headers;
            this.remoteIp = connection.remoteIp();
            this.protocol = connection.protocol();
            app.changed();
            return app.behaviour.headers(this);
        }

        @Override
        public Future<?> dataReceived(ByteBuffer chunk) throws Exception {
            dataCalls++;
            bytesReceived += chunk.remaining();
            Future<?> result = app.behaviour.data(this, chunk);
            app.changed();
            return result;
        }

        @Override
        public void finish() throws Exception {
            finished = true;
            app.changed();
            app.behaviour.finish(this);
        }

        @Override
        public void onConnectionClose() {
            connectionClosed = true;
            app.changed();
        }

        /** Appends a body piece (the default {@link Behaviour#data}). */
        void append(ByteBuffer chunk) {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            body.writeBytes(bytes);
        }

        /** The request as JSON-ish text: method, target, version, client, host, body. */
        String echo() {
            return "{\"method\":\"" + startLine.method() + "\",\"target\":\"" + startLine.target()
                    + "\",\"version\":\"" + startLine.version() + "\",\"remoteIp\":\"" + remoteIp
                    + "\",\"protocol\":\"" + protocol + "\",\"host\":\"" + headers.get("Host")
                    + "\",\"bodyLength\":" + body.size() + ",\"body\":\"" + bodyText() + "\"}";
        }

        /** Answers {@code status} with {@code text} and a Content-Length, finishing the response. */
        Future<Void> respond(int status, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            HttpHeaders responseHeaders = new HttpHeaders()
                    .add("Content-Type", "text/plain; charset=UTF-8")
                    .add("Content-Length", Integer.toString(bytes.length));
            connection.writeHeaders(startLine(status), responseHeaders, ByteBuffer.wrap(bytes));
            return connection.finish();
        }

        /** Answers {@code status} with {@code responseHeaders} and nothing else, finishing the response. */
        Future<Void> respondHeadOnly(int status, HttpHeaders responseHeaders) {
            connection.writeHeaders(startLine(status), responseHeaders, null);
            return connection.finish();
        }

        /**
         * Runs {@code body} as its own coroutine (as a web framework runs a handler), so the
         * connection's coroutine goes on; a closed connection ends it quietly, other failures are kept
         * in {@link #laterFailure()}.
         */
        void later(CoroutineBody body) {
            spawn(() -> {
                try {
                    body.run();
                } catch (Exception | AssertionError e) {
                    laterFailure = e;
                } finally {
                    app.changed();
                }
            });
        }

        private static ResponseStartLine startLine(int status) {
            return new ResponseStartLine("HTTP/1.1", status, HttpUtil.reasonPhrase(status));
        }

        HttpConnection connection() {
            return connection;
        }

        RequestStartLine startLine() {
            return startLine;
        }

        HttpHeaders headers() {
            return headers;
        }

        byte[] body() {
            return body.toByteArray();
        }

        String bodyText() {
            return body.toString(StandardCharsets.ISO_8859_1);
        }

        int bodySize() {
            return body.size();
        }

        String remoteIp() {
            return remoteIp;
        }

        String protocol() {
            return protocol;
        }

        int dataCalls() {
            return dataCalls;
        }

        /** For {@link #streaming}: how many pieces went out so far. */
        int piecesWritten() {
            return piecesWritten;
        }

        private void piecesWritten(int count) {
            piecesWritten = count;
            app.changed();
        }

        /** Body bytes handed to {@link #dataReceived}, whether the behaviour kept them or not. */
        long bytesReceived() {
            return bytesReceived;
        }

        boolean finished() {
            return finished;
        }

        boolean connectionClosed() {
            return connectionClosed;
        }

        /** What ended the {@link #later} coroutine abnormally (a {@link io.squall.iostream.StreamClosedError} for a lost client). */
        Throwable laterFailure() {
            return laterFailure;
        }
    }
}
