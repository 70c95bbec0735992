package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.ResponseStartLine;
import io.squall.httpserver.WireClient.Response;
import io.squall.ioloop.IOLoop;
import io.squall.iostream.StreamClosedError;
import io.squall.testing.AsyncTestCase;
import io.squall.testing.LogCapture;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the HTTP server tests: an {@link HttpServer} serving a {@link TestApp} on 127.0.0.1 on the
 * test's loop, blocking clients run on executor threads through {@link #io}, and a check after every
 * test that nothing was logged at ERROR except what the test declared with {@link #expectErrorLog},
 * and that no handler coroutine ({@link TestApp.Exchange#later}) failed except by losing its client.
 */
abstract class HttpServerTestCase extends AsyncTestCase {
    protected HttpServer server;
    protected TestApp app;
    protected int port;
    protected LogCapture logs;
    private final List<String> expectedErrors = new ArrayList<>();
    private final List<WireClient> clients = new ArrayList<>();

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        for (WireClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
        loop.close(true); // also closes the connections the server still holds
        logs.close();
        List<String> unexpected = logs.atLeast(Level.ERROR).stream()
                .filter(line -> expectedErrors.stream().noneMatch(line::contains))
                .toList();
        assertEquals(List.of(), unexpected, "unexpected ERROR logs");
        if (app != null) {
            List<Throwable> handlerFailures = app.exchanges().stream().map(TestApp.Exchange::laterFailure)
                    // a handler still suspended when the loop closes is cancelled: that is the close, not a failure
                    .filter(e -> e != null && !(e instanceof StreamClosedError)
                            && !(e instanceof java.util.concurrent.CancellationException)).toList();
            assertEquals(List.of(), handlerFailures, "handler coroutines failed");
        }
    }

    /**
     * Starts {@link #server} on {@link #port} (call it in a coroutine on {@link #loop}) answering every
     * request with {@code answer}, called from the request delegate's {@code finish()}, and records each
     * request's delegate weakly in {@code delegates}: for the tests of what a server keeps reachable.
     */
    protected void startServerRecordingDelegates(List<WeakReference<HttpMessageDelegate>> delegates,
                                                 Consumer<HttpConnection> answer) {
        server = new HttpServer(connection -> {
            HttpMessageDelegate delegate = new HttpMessageDelegate() {
                @Override
                public void finish() {
                    answer.accept(connection);
                }
            };
            delegates.add(new WeakReference<>(delegate));
            return delegate;
        });
        port = server.listen(0, "127.0.0.1");
    }

    /** Answers 200 with the body "ok". */
    protected static void answerOk(HttpConnection connection) {
        connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"),
                new HttpHeaders().set("Content-Length", "2"), ByteBuffer.wrap(new byte[] {'o', 'k'}));
        connection.finish();
    }

    /** Whether every reference of {@code references} is cleared, after up to 20 full collections. */
    protected static boolean allCollected(List<? extends WeakReference<?>> references) {
        for (int gc = 0; gc < 20 && references.stream().anyMatch(r -> !r.refersTo(null)); gc++) {
            System.gc();
        }
        return references.stream().allMatch(r -> r.refersTo(null));
    }

    /** Starts the server (call it in a coroutine on {@link #loop}) with default options. */
    protected void startServer(TestApp.Behaviour behaviour) {
        startServer(HttpServerOptions.DEFAULTS, behaviour);
    }

    /** Starts the server (call it in a coroutine on {@link #loop}). */
    protected void startServer(HttpServerOptions options, TestApp.Behaviour behaviour) {
        app = new TestApp(behaviour);
        server = new HttpServer(app, options);
        port = server.listen(0, "127.0.0.1");
    }

    /** Lets ERROR lines containing {@code text} pass the after-test check. */
    protected void expectErrorLog(String text) {
        expectedErrors.add(text);
    }

    /** Runs blocking client code on an executor thread and awaits it, so the loop keeps serving meanwhile. */
    protected static <T> T io(Callable<T> blocking) {
        return await(IOLoop.current().runInExecutor(null, blocking));
    }

    /** A new raw connection to the server, closed after the test. */
    protected WireClient connect() {
        WireClient client = io(() -> WireClient.connect(port));
        clients.add(client);
        return client;
    }

    /** Sends {@code request} on a new connection and reads one response. */
    protected WireClient.Response exchange(String request) {
        WireClient client = connect();
        return io(() -> client.send(request).readResponse());
    }

    /** More bytes than the loopback socket buffers hold: a client's write of them completes only while the server reads. */
    protected static final int MORE_THAN_THE_SOCKET_BUFFERS = 8 << 20;

    /**
     * Sends {@code head} and then {@link #MORE_THAN_THE_SOCKET_BUFFERS} zero bytes on a new connection, all
     * before reading, then reads one response: the write completes only if the server, once it has answered,
     * goes on reading and dropping what comes (closing outright would reset the connection under the client).
     */
    protected Response sendAllBeforeReading(String head) {
        WireClient client = connect();
        Response response = io(() -> client.send(head).send(new byte[MORE_THAN_THE_SOCKET_BUFFERS]).readResponse());
        assertClosedAfter(response, client);
        return response;
    }

    /** Sends {@code request} on a new connection and returns everything until the server closes it. */
    protected String sendAndReadUntilClose(String request) {
        WireClient client = connect();
        return io(() -> client.send(request).readUntilClose());
    }

    /** Asserts that the server closes {@code client}'s connection (end of stream). */
    protected static void assertClosedByServer(WireClient client) {
        io(() -> {
            client.assertClosed();
            return null;
        });
    }

    /** Asserts that {@code response} announced {@code Connection: close} and the server then closed {@code client}. */
    protected static void assertClosedAfter(WireClient.Response response, WireClient client) {
        assertEquals("close", response.header("Connection"));
        assertClosedByServer(client);
    }

    /** A minimal HTTP/1.1 GET of {@code target} with a Host header and optional extra header lines. */
    protected static String get(String target, String... headerLines) {
        return request("GET", target, headerLines) + "\r\n";
    }

    /** The request line and Host header of an HTTP/1.1 request, plus {@code headerLines}, without the final CRLF. */
    protected static String request(String method, String target, String... headerLines) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: test\r\n");
        for (String line : headerLines) {
            sb.append(line).append("\r\n");
        }
        return sb.toString();
    }
}
