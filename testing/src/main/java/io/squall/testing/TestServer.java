package io.squall.testing;

import static io.squall.gen.Coroutines.await;

import io.squall.httpserver.HttpServer;
import io.squall.httpserver.HttpServerConnectionDelegate;
import io.squall.httpserver.HttpServerOptions;
import io.squall.ioloop.IOLoop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A server on an unused 127.0.0.1 port of the current loop, with the JDK's HTTP and WebSocket clients
 * pointed at it, like Tornado's {@code AsyncHTTPTestCase}. Any {@link HttpServerConnectionDelegate} can
 * be served ({@code io.squall.web.Application} is one). Start it and call the clients from a coroutine on
 * the loop (a {@link SquallTest} method, or {@link AsyncTestCase#run}): they block on executor threads and
 * are awaited, so the loop goes on serving meanwhile.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(app)) {
 *     HttpResponse<String> response = server.fetch("/hello");
 *     TestWebSocket ws = server.websocket("/echo");
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {
    /** Bound for one client call: connecting, a response, a WebSocket message. */
    public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    /** HTTP/1.1 only (no h2c upgrade), no redirects followed: tests see exactly what the server sends. */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final IOLoop loop;
    private final int port;
    private final AutoCloseable stopper;

    private TestServer(IOLoop loop, int port, AutoCloseable stopper) {
        this.loop = loop;
        this.port = port;
        this.stopper = stopper;
    }

    /** Serves {@code delegate} with default options on an unused port; call it on the loop. */
    public static TestServer start(HttpServerConnectionDelegate delegate) {
        return start(delegate, HttpServerOptions.DEFAULTS);
    }

    /** Serves {@code delegate} with {@code options} on an unused port; call it on the loop. */
    public static TestServer start(HttpServerConnectionDelegate delegate, HttpServerOptions options) {
        HttpServer server = new HttpServer(delegate, options);
        int port = server.listen(0, "127.0.0.1");
        return new TestServer(IOLoop.current(), port, () -> {
            server.stop();
            server.closeAllConnections();
        });
    }

    /**
     * Wraps a server that something else started on 127.0.0.1:{@code port} of the current loop (for
     * example {@code port = app.listen(0, "127.0.0.1")}); {@link #close} closes {@code server}.
     */
    public static TestServer listening(int port, AutoCloseable server) {
        return new TestServer(IOLoop.current(), port, server);
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** The absolute {@code http://127.0.0.1:port} URL of {@code path} (which starts with '/'). */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A request builder for {@code path}, bounded by {@link #CLIENT_TIMEOUT}. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(url(path)).timeout(CLIENT_TIMEOUT);
    }

    /**
     * The JDK client behind {@link #fetch} (HTTP/1.1, no redirects followed), for calls that must run
     * whole on an executor thread, such as reading a streamed body.
     */
    public HttpClient client() {
        return CLIENT;
    }

    /** GETs {@code path}. */
    public HttpResponse<String> fetch(String path) {
        return fetch(request(path));
    }

    /** Sends the request {@code builder} describes (start from {@link #request}). */
    public HttpResponse<String> fetch(HttpRequest.Builder builder) {
        return fetch(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code request} from an executor thread and awaits the response, handled by {@code handler}
     * (for bytes, streams, or a discarded body).
     */
    public <T> HttpResponse<T> fetch(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return await(loop.runInExecutor(null, () -> CLIENT.send(request, handler)));
    }

    /** Opens a WebSocket to {@code path} (ws://127.0.0.1:port{@code path}). */
    public TestWebSocket websocket(String path) {
        return websocket(path, CLIENT.newWebSocketBuilder());
    }

    /** Opens a WebSocket to {@code path} with {@code builder} (headers, subprotocols). */
    public TestWebSocket websocket(String path, java.net.http.WebSocket.Builder builder) {
        return TestWebSocket.connect(loop, builder.connectTimeout(CLIENT_TIMEOUT),
                URI.create("ws://127.0.0.1:" + port + path));
    }

    /**
     * Stops listening and closes the open connections (on the loop: they close when it next runs, or when
     * the test's loop closes).
     */
    @Override
    public void close() throws Exception {
        stopper.close();
    }
}
