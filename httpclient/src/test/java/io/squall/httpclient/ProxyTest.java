package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.RawHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** HTTP proxies: absolute-form forwarding for http, CONNECT tunnels for https, proxy credentials and their refusal. */
class ProxyTest extends ConnectionTestCase {
    private static final String USER = "squall";
    private static final String PASSWORD = "s3cret";
    private static final String CREDENTIALS = "Basic " + Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    /**
     * A small blocking HTTP proxy (a platform thread accepting, a virtual thread per connection): forwards
     * an absolute-form request to its origin in origin form, tunnels CONNECT, and answers 407 when it
     * requires credentials that the request does not carry. Each connection's first head is recorded.
     */
    static final class TestProxy implements AutoCloseable {
        final List<String> requestLines = new CopyOnWriteArrayList<>();
        /** The Proxy-Authorization of each connection's first request ("" without one). */
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        private final String requiredAuthorization;
        private final ServerSocket listener;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        TestProxy(String requiredAuthorization) {
            this.requiredAuthorization = requiredAuthorization;
            try {
                listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.ofPlatform().daemon().name("test-proxy").start(this::acceptLoop);
        }

        ProxySettings settings() {
            return ProxySettings.of("127.0.0.1", listener.getLocalPort());
        }

        private void acceptLoop() {
            while (true) {
                Socket client;
                try {
                    client = listener.accept();
                } catch (IOException e) {
                    return; // closed
                }
                sockets.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            }
        }

        private void serve(Socket client) {
            try (client) {
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                String[] lines = RawHttpClient.readHead(in).split("\r\n");
                requestLines.add(lines[0]);
                String authorization = "";
                StringBuilder forwarded = new StringBuilder();
                for (int i = 1; i < lines.length; i++) {
                    if (lines[i].regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
                        authorization = lines[i].substring(20).strip();
                    } else {
                        forwarded.append(lines[i]).append("\r\n");
                    }
                }
                authorizations.add(authorization);
                if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                    out.write(ascii("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic "
                            + "realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    return;
                }
                String[] requestLine = lines[0].split(" ");
                if (requestLine[0].equals("CONNECT")) {
                    URI authority = URI.create("//" + requestLine[1]);
                    try (Socket upstream = new Socket(authority.getHost(), authority.getPort())) {
                        sockets.add(upstream);
                        out.write(ascii("HTTP/1.1 200 Connection established\r\n\r\n"));
                        pipe(client, upstream);
                    }
                } else {
                    URI target = URI.create(requestLine[1]);
                    try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
                        sockets.add(upstream);
                        String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
                        upstream.getOutputStream().write(ascii(requestLine[0] + " " + path + " " + requestLine[2]
                                + "\r\n" + forwarded + "\r\n"));
                        pipe(client, upstream);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // a side went away: the connection is over
            }
        }

        /** Copies both ways until each side has finished sending. */
        private static void pipe(Socket client, Socket upstream) throws InterruptedException {
            Thread back = Thread.ofVirtual().start(() -> copy(upstream, client));
            copy(client, upstream);
            back.join();
        }

        private static void copy(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException e) {
                // closed under us
            }
        }

        private static byte[] ascii(String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private TestProxy proxy(String requiredAuthorization) {
        return closeLater(new TestProxy(requiredAuthorization));
    }

    @Test
    void httpGoesToTheProxyInAbsoluteFormWithItsCredentials() {
        run(() -> {
            int port = serveWeb();
            TestProxy proxy = proxy(CREDENTIALS);
            AsyncHttpClient client = client(HttpClientOptions.builder()
                    .proxy(proxy.settings().withCredentials(USER, PASSWORD)).build());
            assertEquals("ok", await(client.fetch(url(port, "/path?q=1"))).text());
            assertEquals(List.of("GET http://127.0.0.1:" + port + "/path?q=1 HTTP/1.1"), proxy.requestLines);
            assertEquals(List.of(CREDENTIALS), proxy.authorizations);
        });
    }

    @Test
    void httpsGoesThroughAConnectTunnelThatIsPooled() {
        run(() -> {
            int port = serveTls();
            TestProxy proxy = proxy(CREDENTIALS);
            AsyncHttpClient client = client(HttpClientOptions.builder()
                    .proxy(proxy.settings().withCredentials(USER, PASSWORD)).build());
            HttpRequest request = HttpRequest.builder(httpsUrl(port, "/")).sslContext(trustTestCertificate()).build();
            HttpResponse first = await(client.fetch(request));
            assertEquals("ok", first.text());
            assertTrue(first.timing().tlsHandshake().toNanos() > 0, "TLS end to end with the server");
            assertEquals(List.of("CONNECT localhost:" + port + " HTTP/1.1"), proxy.requestLines);
            assertEquals(List.of(CREDENTIALS), proxy.authorizations);

            HttpResponse second = await(client.fetch(request));
            assertTrue(second.timing().reusedConnection());
            assertEquals(1, proxy.requestLines.size(), "one tunnel for both requests");
        });
    }

    @Test
    void connectRefusedWith407IsAProxyFailure() {
        run(() -> {
            int port = serveTls();
            TestProxy proxy = proxy(CREDENTIALS);
            AsyncHttpClient client = client(HttpClientOptions.builder()
                    .proxy(proxy.settings().withCredentials(USER, "wrong")).build());
            ProxyFailureException e = assertFails(ProxyFailureException.class, FetchPhase.PROXY,
                    client.fetch(HttpRequest.builder(httpsUrl(port, "/")).validateCertificates(false).build()));
            assertEquals(407, e.code());
            assertTrue(e.getMessage().contains("407"), e.getMessage());
            assertFalse(proxy.authorizations.getFirst().equals(CREDENTIALS));
            assertTrue(clientPorts.isEmpty(), "nothing reached the server");
        });
    }

    @Test
    void http407IsTheProxysResponse() {
        // Pinned: without a tunnel the 407 is an ordinary response, so it is an HttpClientError, not a ProxyFailure.
        run(() -> {
            int port = serveWeb();
            TestProxy proxy = proxy(CREDENTIALS);
            AsyncHttpClient client = client(HttpClientOptions.builder().proxy(proxy.settings()).build());
            HttpClientError e = assertFails(HttpClientError.class, FetchPhase.RESPONSE_HEADERS,
                    client.fetch(url(port, "/")));
            assertEquals(407, e.code());
            assertEquals(List.of(""), proxy.authorizations);
        });
    }

    @Test
    void requestProxyOverridesTheClientsDefault() {
        run(() -> {
            int port = serveWeb();
            TestProxy byDefault = proxy(null);
            TestProxy override = proxy(null);
            AsyncHttpClient client = client(HttpClientOptions.builder().proxy(byDefault.settings()).build());
            await(client.fetch(HttpRequest.builder(url(port, "/one")).proxy(override.settings()).build()));
            assertEquals(List.of(), byDefault.requestLines);
            assertEquals(List.of("GET " + url(port, "/one") + " HTTP/1.1"), override.requestLines);

            await(client.fetch(url(port, "/two")));
            assertEquals(List.of("GET " + url(port, "/two") + " HTTP/1.1"), byDefault.requestLines);
            assertEquals(2, webConnections(), "a pooled connection belongs to its proxy");
        });
    }

    @Test
    void unreachableProxyIsAConnectFailureNamingTheProxy() {
        run(() -> {
            int proxyPort = closedPort();
            AsyncHttpClient client = client(HttpClientOptions.builder()
                    .proxy(ProxySettings.of("127.0.0.1", proxyPort)).build());
            ConnectFailedException e = assertFails(ConnectFailedException.class, FetchPhase.CONNECT,
                    client.fetch("http://example.test/"));
            assertTrue(e.getMessage().contains("proxy 127.0.0.1:" + proxyPort), e.getMessage());
        });
    }
}
