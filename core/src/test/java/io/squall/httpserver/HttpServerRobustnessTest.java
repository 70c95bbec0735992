package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.gen.Coroutines.CoroutineBody;
import io.squall.httpserver.WireClient.Response;
import io.squall.testing.TestCertificates;
import io.squall.http.HttpMessageDelegate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server under abuse, bounded and fast enough for every run: connection churn of every kind leaves
 * no descriptor or memory behind, slow clients are reclaimed by the limits, and a flood that exhausts
 * the process's file descriptors is survived.
 */
class HttpServerRobustnessTest extends HttpServerTestCase {
    /** Small limits, so that slow clients are reclaimed within the test. */
    private static final HttpServerOptions QUICK = quick().build();
    /** The first bytes of a TLS ClientHello record: a handshake that begins and is abandoned. */
    private static final byte[] CLIENT_HELLO_START = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};

    private static HttpServerOptions.Builder quick() {
        return HttpServerOptions.builder().idleConnectionTimeout(Duration.ofMillis(300)).headerTimeout(Duration.ofMillis(300))
                .bodyProgressTimeout(Duration.ofMillis(300)).sendTimeout(Duration.ofMillis(300));
    }

    /** {@link #run(CoroutineBody)} with a longer bound, for the tests that open hundreds of connections. */
    private void run(Duration timeout, CoroutineBody body) {
        loop.runSync(() -> {
            body.run();
            return null;
        }, timeout);
    }

    @Test
    void connectionChurnLeavesNoDescriptorsOrMemoryBehind() {
        run(Duration.ofSeconds(60), () -> {
            startServer(TestApp.echo());
            HttpServer tls = newTlsServer();
            int tlsPort = tls.listen(0, "127.0.0.1");
            try {
                IntSupplier open = () -> server.connectionCount() + tls.connectionCount();
                churn(tlsPort, open); // warm up: classes, loop buffers, the JIT
                long fds = openDescriptors();
                long heap = usedHeapAfterGc();
                for (int round = 0; round < 3; round++) {
                    churn(tlsPort, open);
                }
                // A connection is over before its lingering close (up to 2 s) lets its descriptor go: wait for
                // that, within a bound, then judge.
                long settleBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                long fdsAfter = openDescriptors();
                while (fdsAfter > fds + 4 && System.nanoTime() - settleBy < 0) {
                    await(moment());
                    fdsAfter = openDescriptors();
                }
                long heapAfter = usedHeapAfterGc();
                assertTrue(fdsAfter <= fds + 4, "open descriptors: " + fds + " before, " + fdsAfter + " after");
                assertTrue(heapAfter <= heap + (64 << 20), "heap in use: " + (heap >> 20) + " MB before, " + (heapAfter >> 20) + " MB after");
            } finally {
                tls.stop();
            }
        });
    }

    /**
     * A keep-alive connection that waits for its next request keeps nothing of the last one: its delegate
     * (and with it the exchange, the headers, a web handler) can be collected while the connection stays
     * open, so 10,000 idle connections do not hold 10,000 finished requests.
     */
    @Test
    void anIdleKeepAliveConnectionKeepsNothingOfItsLastRequest() {
        List<WeakReference<HttpMessageDelegate>> delegates = new ArrayList<>();
        run(() -> {
            startServerRecordingDelegates(delegates, HttpServerTestCase::answerOk);
            WireClient client = connect();
            for (int i = 0; i < 2; i++) { // the second request shows the connection served on after the first
                assertEquals("ok", io(() -> client.send(get("/")).readResponse()).text());
            }
            // The response was sent before the connection turned idle, in the same step on this loop.
            assertEquals(2, delegates.size());
            assertTrue(allCollected(delegates), "a finished request's delegate is still reachable");
            assertEquals(1, server.connectionCount(), "the connection stays open");
        });
    }

    /**
     * A closed connection is not kept by its send timeout: the timer armed when a response's write was
     * queued is cancelled when the stream closes. It used to run its course (sendTimeout, 60 s by
     * default), keeping the connection with its last request reachable: 49 MB of live heap after a storm
     * of 10,000 one-request connections.
     */
    @Test
    void aClosedConnectionIsNotKeptByItsSendTimer() {
        List<WeakReference<HttpMessageDelegate>> delegates = new ArrayList<>();
        run(() -> {
            startServerRecordingDelegates(delegates, HttpServerTestCase::answerOk);
            for (int i = 0; i < 3; i++) { // the server closes each after its response
                WireClient client = connect();
                Response response = io(() -> client.send(get("/", "Connection: close")).readResponse());
                assertEquals("ok", response.text());
                assertClosedByServer(client);
            }
            while (server.connectionCount() > 0) { // the server's own count drops once each close is done
                await(moment());
            }
            assertEquals(3, delegates.size());
            assertTrue(allCollected(delegates), "a closed connection's last request is still reachable");
        });
    }

    /** An HTTPS server beside {@link #server}, serving the same app (the caller listens and stops it). */
    private HttpServer newTlsServer() {
        return new HttpServer(app, HttpServerOptions.builder().tls(TestCertificates.localhost().serverContext()).build());
    }

    /** One round of every kind of connection, then waits until the server has closed all of them. */
    private void churn(int tlsPort, IntSupplier open) {
        io(() -> {
            for (int c = 0; c < 20; c++) { // complete requests, five per keep-alive connection
                try (WireClient client = WireClient.connect(port)) {
                    for (int r = 0; r < 5; r++) {
                        assertEquals(200, client.send(get("/churn")).readResponse().status());
                    }
                }
            }
            for (int c = 0; c < 50; c++) { // connect and close
                new Socket("127.0.0.1", port).close();
            }
            for (int c = 0; c < 50; c++) { // half a request, then a reset
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write("POST /half HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1));
                    s.setSoLinger(true, 0);
                }
            }
            for (int c = 0; c < 30; c++) { // abandoned TLS handshakes: the client leaves before its ClientHello
                new Socket("127.0.0.1", tlsPort).close();
            }
            abandonClientHellos(tlsPort, 30);
            return null;
        });
        while (open.getAsInt() > 0) { // the server notices each close on its own: poll (bounded by run's timeout)
            await(moment());
        }
    }

    /** Connects {@code count} times to {@code tlsPort}, each time sending the start of a ClientHello and leaving. */
    private static void abandonClientHellos(int tlsPort, int count) throws IOException {
        for (int c = 0; c < count; c++) {
            try (Socket s = new Socket("127.0.0.1", tlsPort)) {
                s.getOutputStream().write(CLIENT_HELLO_START);
            }
        }
    }

    /**
     * TLS clients that begin a handshake (nothing, part of a ClientHello, a whole one) and then all go
     * away at once: the server closes their connections in one burst, and once it counts none open, their
     * descriptors are gone too. (A registered channel's descriptor used to outlive its close until the
     * selector's next poll: a burst of closes held one descriptor per client after the server counted
     * them closed, and freed their connection slots while the descriptors were still held.)
     */
    @Test
    void abandonedClientHellosLeaveNoDescriptorsBehind() {
        run(Duration.ofSeconds(60), () -> {
            startServer(TestApp.echo());
            HttpServer tls = newTlsServer();
            int tlsPort = tls.listen(0, "127.0.0.1");
            try {
                byte[] wholeHello = clientHello();
                abandonHandshakesAtOnce(tls, tlsPort, 5, CLIENT_HELLO_START); // warm up
                long fds = openDescriptors();
                for (byte[] sent : List.of(new byte[0], CLIENT_HELLO_START, wholeHello)) {
                    abandonHandshakesAtOnce(tls, tlsPort, 50, sent);
                    long fdsAfter = openDescriptors();
                    assertTrue(fdsAfter <= fds + 4, "open descriptors: " + fds + " before, " + fdsAfter
                            + " after 50 clients sent " + sent.length + " bytes of a ClientHello and left");
                }
            } finally {
                tls.stop();
            }
        });
    }

    /**
     * Opens {@code count} connections to {@code server}, each sending {@code sent}; once the server holds
     * all of them, closes them all, and returns when the server counts none open.
     */
    private void abandonHandshakesAtOnce(HttpServer server, int tlsPort, int count, byte[] sent) {
        List<Socket> clients = new ArrayList<>();
        try {
            io(() -> {
                for (int c = 0; c < count; c++) {
                    Socket s = new Socket("127.0.0.1", tlsPort);
                    clients.add(s);
                    s.getOutputStream().write(sent);
                }
                return null;
            });
            while (server.connectionCount() < count) {
                await(moment());
            }
        } finally {
            io(() -> {
                for (Socket s : clients) {
                    s.close();
                }
                return null;
            });
        }
        while (server.connectionCount() > 0) {
            await(moment());
        }
    }

    /** The first flight of a real TLS client: a whole ClientHello. */
    private static byte[] clientHello() throws IOException {
        SSLEngine engine = TestCertificates.localhost().clientContext().createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        ByteBuffer flight = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), flight);
        return Arrays.copyOf(flight.array(), flight.position());
    }

    /**
     * The TLS handshake runs under the idle timeout: a client that connects and sends nothing, or part of
     * a ClientHello, and then sits, is closed when it runs out.
     */
    @Test
    void stalledTlsHandshakesAreClosedByTheIdleTimeout() {
        run(Duration.ofSeconds(30), () -> {
            startServer(quick().tls(TestCertificates.localhost().serverContext()).build(), TestApp.echo());
            WireClient silent = connect();
            WireClient partial = connect();
            io(() -> partial.send(CLIENT_HELLO_START));
            io(silent::readUntilClose); // fails if the server does not close it within the client's timeout
            io(partial::readUntilClose);
            while (server.connectionCount() > 0) {
                await(moment());
            }
        });
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void slowClientsAreReclaimedByTheLimits() {
        run(Duration.ofSeconds(30), () -> {
            startServer(QUICK, TestApp.streaming(256, 64 * 1024)); // 16 MB a response: more than the socket buffers hold
            List<WireClient> slowloris = new ArrayList<>();
            List<WireClient> slowBodies = new ArrayList<>();
            List<WireClient> slowReaders = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                WireClient head = connect();
                io(() -> head.send("GET /slowloris HTTP/1.1\r\nHost: t\r\nX-Padding: aaaa"));
                slowloris.add(head);
                WireClient body = connect();
                io(() -> body.send(request("POST", "/slow-body", "Content-Length: 1000") + "\r\nonly these bytes"));
                slowBodies.add(body);
                WireClient reader = connect();
                io(() -> reader.send(get("/never-read")));
                slowReaders.add(reader);
            }
            WireClient idle = connect(); // never sends: the idle limit
            for (WireClient client : slowloris) {
                assertClosedByServer(client);
            }
            for (WireClient client : slowBodies) {
                Response response = io(client::readResponse);
                assertEquals(408, response.status());
                assertClosedAfter(response, client);
            }
            assertClosedByServer(idle);
            // The slow readers: the server stops when it cannot write; once it has closed them, what the
            // socket buffers hold is read and then the end of the stream.
            while (server.connectionCount() > 0) {
                await(moment());
            }
            for (WireClient client : slowReaders) {
                io(() -> {
                    client.readUntilClose();
                    return null;
                });
            }
        });
    }

    @Test
    @Timeout(120)
    void survivesRunningOutOfFileDescriptors() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("bash", "-c", "ulimit -n 128 && exec \"$0\" --add-opens java.base/java.lang=ALL-UNNAMED -cp \"$1\" " + FloodedServerMain.class.getName(),
                java, System.getProperty("java.class.path")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = child.inputReader(StandardCharsets.UTF_8)) {
            String line = out.readLine();
            while (line != null && !line.startsWith("port ")) { // log lines go to stdout too
                line = out.readLine();
            }
            assertTrue(line != null, "the child ended without listening");
            int childPort = Integer.parseInt(line.substring(5));
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) { // more than the child's 128 descriptors: it runs out
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", childPort), 10_000);
                    s.getOutputStream().write("GET /flood HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    flood.add(s);
                }
                // The ones it could accept are answered; at least one could not be (no descriptor left).
                int answered = 0;
                for (Socket s : flood) {
                    s.setSoTimeout(answered == 0 ? 10_000 : 200);
                    try {
                        InputStream in = s.getInputStream();
                        if (in.read() == 'H') {
                            answered++;
                        }
                    } catch (java.net.SocketTimeoutException e) {
                        break; // not accepted: the descriptors ran out before it
                    }
                }
                assertTrue(answered > 0 && answered < flood.size(), answered + " of " + flood.size() + " answered");
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            // The flood is over: the server is still serving.
            try (WireClient client = WireClient.connect(childPort)) {
                Response response = client.send(get("/after-the-flood")).readResponse();
                assertEquals(200, response.status());
            }
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not stop");
        } finally {
            child.destroyForcibly();
        }
    }
}
