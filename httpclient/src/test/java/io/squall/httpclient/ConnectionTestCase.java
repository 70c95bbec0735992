package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.withTimeout;
import static io.squall.testing.TestBytes.bytes;
import static io.squall.testing.TestBytes.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpHandler;
import io.squall.concurrent.Future;
import io.squall.httpserver.HttpServerOptions;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.net.TcpServer;
import io.squall.testing.AsyncTestCase;
import io.squall.testing.LogCapture;
import io.squall.testing.TestCertificates;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Shared fixtures of the connection tests: a recording web application (plain or TLS), scripted raw TCP
 * servers, the JDK's own HTTP server, clients closed after each test, and phase-checking assertions.
 */
abstract class ConnectionTestCase extends AsyncTestCase {
    /** What the raw servers answer when all is well: a keep-alive "ok". */
    protected static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    /** How long a test waits for something the client should do promptly (never reached when it does). */
    protected static final Duration PROMPTLY = Duration.ofSeconds(3);

    /** Squall's logs, kept off the console (scripted servers make it log closed streams). */
    protected final LogCapture logs = closeLater(LogCapture.start());
    /** The client port of each request the web application served, in order of arrival. */
    protected final List<Integer> clientPorts = new ArrayList<>();
    /** The {@code id} argument of each request the web application served, in order of arrival. */
    protected final List<String> arrivals = new ArrayList<>();
    /** The most requests the web application was serving at once. */
    protected int maxActive;
    private int active;

    /**
     * The web application's only handler: records the request, waits {@code ?ms=} milliseconds if asked,
     * then answers {@code ok} (GET) or echoes the body (POST), with the client's port in {@code X-Client-Port}.
     */
    final class Recorder extends RequestHandler {
        @Override
        protected void get() {
            record();
            write("ok");
        }

        @Override
        protected void post() {
            record();
            write(request().body());
        }

        private void record() {
            int port = ((InetSocketAddress) request().connection().remoteAddress()).getPort();
            clientPorts.add(port);
            arrivals.add(getArgument("id", ""));
            setHeader("X-Client-Port", Integer.toString(port));
            long delay = Long.parseLong(getArgument("ms", "0"));
            active++;
            maxActive = Math.max(maxActive, active);
            try {
                if (delay > 0) {
                    await(sleep(ms(delay)));
                }
            } finally {
                active--;
            }
        }
    }

    // ------------------------------------------------------------------ servers

    /** Serves the {@link Recorder} on every path over plain HTTP; returns the port. Call inside {@link #run}. */
    protected int serveWeb() {
        return serveWeb(HttpServerOptions.DEFAULTS);
    }

    /** Serves the {@link Recorder} on every path with {@code options}; returns the port. */
    protected int serveWeb(HttpServerOptions options) {
        Application app = closeLater(Application.builder().route("/.*", Recorder::new).build());
        return app.listen(0, "127.0.0.1", options);
    }

    /** Serves the {@link Recorder} over HTTPS with the self-signed certificate of "localhost". */
    protected int serveTls() {
        return serveWeb(HttpServerOptions.builder().tls(TestCertificates.localhost().serverContext()).build());
    }

    /** How many connections the web application's requests came over. */
    protected int webConnections() {
        return new HashSet<>(clientPorts).size();
    }

    /** Serves one connection of a {@link RawServer}: {@code index} counts the connections from 0. */
    @FunctionalInterface
    protected interface Script {
        void serve(RawServer server, IOStream stream, int index) throws Exception;
    }

    /** A TCP server on 127.0.0.1 that answers with whatever bytes its {@link Script} writes. */
    protected final class RawServer {
        /** The port. */
        public final int port;
        /** The request heads read so far, in order. */
        public final List<String> heads = new ArrayList<>();
        /** Completes when the client first closes a connection this server kept open. */
        public final Future<Void> clientClosed = new Future<>();
        /** Completes when the first request head has been read. */
        public final Future<String> firstHead = new Future<>();
        /** How many connections were accepted. */
        public int accepted;

        RawServer(Script script) {
            TcpServer server = closeLater(new TcpServer((stream, address) -> script.serve(this, stream, accepted++)));
            port = server.listen(0, "127.0.0.1");
        }

        /** The URL of {@code path} on this server. */
        public String url(String path) {
            return ConnectionTestCase.url(port, path);
        }

        /** Reads one request head (without a body), or returns null if the client closed the connection. */
        public String readHead(IOStream stream) {
            String head;
            try {
                head = str(await(stream.readUntil(bytes("\r\n\r\n"))));
            } catch (StreamClosedError e) {
                return null;
            }
            heads.add(head);
            firstHead.trySetResult(head);
            return head;
        }

        /** Answers every request on {@code stream} with {@link #OK} until the client closes it. */
        public void keepAlive(IOStream stream) {
            while (readHead(stream) != null) {
                send(stream, OK);
            }
            clientClosed.trySetResult(null);
        }

        /** Waits until the client closes {@code stream}, then completes {@link #clientClosed}. */
        public void awaitClientClose(IOStream stream) {
            try {
                await(stream.readUntilClose());
            } catch (StreamClosedError e) {
                // reset instead of closed: closed all the same
            }
            clientClosed.trySetResult(null);
        }
    }

    /** A raw server running {@code script} for each connection. Call inside {@link #run}. */
    protected RawServer rawServer(Script script) {
        return new RawServer(script);
    }

    /** A raw server that answers every request with {@link #OK} on keep-alive connections. */
    protected RawServer okServer() {
        return rawServer((server, stream, index) -> server.keepAlive(stream));
    }

    /** Writes {@code text} (ISO-8859-1) to {@code stream} and waits until it is written. */
    protected static void send(IOStream stream, String text) {
        await(stream.write(bytes(text)));
    }

    /**
     * Serves {@code routes} with the JDK's own {@code com.sun.net.httpserver} on 127.0.0.1 (its threads,
     * not the loop); returns the port. Stopped after the test.
     */
    protected int serveJdk(Map<String, HttpHandler> routes) {
        try {
            com.sun.net.httpserver.HttpServer server =
                    com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            routes.forEach(server::createContext);
            server.start();
            closeLater(() -> server.stop(0));
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ clients and assertions

    /** A client with default options on the test's loop, closed after the test. */
    protected AsyncHttpClient client() {
        return client(HttpClientOptions.DEFAULTS);
    }

    /** A client with {@code options} on the test's loop, closed after the test. */
    protected AsyncHttpClient client(HttpClientOptions options) {
        return closeLater(AsyncHttpClient.create(loop, options));
    }

    /** {@code http://127.0.0.1:port/path}. */
    protected static String url(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** {@code https://localhost:port/path}: the name the test certificate is for. */
    protected static String httpsUrl(int port, String path) {
        return "https://localhost:" + port + path;
    }

    /** A TLS context that trusts exactly the test certificate of "localhost". */
    protected static SSLContext trustTestCertificate() {
        return TestCertificates.localhost().clientContext();
    }

    /** Inside a coroutine: awaits {@code fetch}, asserts that it fails with {@code type} in {@code phase}. */
    protected static <T extends HttpClientException> T assertFails(Class<T> type, FetchPhase phase, Future<?> fetch) {
        T e = assertThrows(type, () -> await(withTimeout(PROMPTLY, fetch)));
        assertEquals(phase, e.phase(), e::toString);
        return e;
    }

    /** Inside a coroutine: awaits {@code future}, failing the test if it takes longer than {@link #PROMPTLY}. */
    protected static <T> T promptly(Future<T> future) {
        return await(withTimeout(PROMPTLY, future));
    }

    /** A port on 127.0.0.1 where nothing listens (bound, then released). */
    protected static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Milliseconds in {@code d}, for readable bounds. */
    protected static long millis(Duration d) {
        return d.toMillis();
    }
}
