package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.web.Application;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Network failures, each its own exception naming its phase, and the address options (IPv6, host mapping). */
class ErrorsTest extends ConnectionTestCase {
    /** A server that reads the request, writes {@code partial} and closes the connection. */
    private RawServer cutsOff(String partial) {
        return rawServer((server, stream, index) -> {
            server.readHead(stream);
            if (!partial.isEmpty()) {
                send(stream, partial);
            }
            stream.close();
        });
    }

    @Test
    void connectionRefused() {
        run(() -> {
            int port = closedPort();
            ConnectFailedException e = assertFails(ConnectFailedException.class, FetchPhase.CONNECT,
                    client().fetch(url(port, "/")));
            assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            assertInstanceOf(IOException.class, e.getCause());
        });
    }

    @Test
    void unknownHost() {
        run(() -> {
            DnsFailureException e = assertFails(DnsFailureException.class, FetchPhase.RESOLVE,
                    client().fetch("http://nonexistent.invalid/"));
            assertTrue(e.getMessage().contains("nonexistent.invalid"), e.getMessage());
        });
    }

    /** Responses the server cuts off by closing, and the phase the failure must name. */
    static Stream<Arguments> cutOffResponses() {
        return Stream.of(
                Arguments.of("before the head", "", FetchPhase.RESPONSE_HEADERS),
                Arguments.of("in the middle of the head", "HTTP/1.1 200 OK\r\nContent-Le", FetchPhase.RESPONSE_HEADERS),
                Arguments.of("in a length-delimited body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
                        FetchPhase.RESPONSE_BODY),
                Arguments.of("in a chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc",
                        FetchPhase.RESPONSE_BODY));
    }

    @ParameterizedTest(name = "server closes {0}")
    @MethodSource("cutOffResponses")
    void serverClosesEarly(String where, String sent, FetchPhase phase) {
        run(() -> {
            RawServer server = cutsOff(sent);
            StreamClosedEarlyException e = assertFails(StreamClosedEarlyException.class, phase,
                    client().fetch(server.url("/")));
            if (sent.contains("Content-Length: 10")) {
                assertTrue(e.getMessage().contains("10"), e.getMessage()); // how much was expected
            }
        });
    }

    @Test
    void responseHeadLargerThanMaxHeaderSize() {
        run(() -> {
            RawServer server = cutsOff("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(2000) + "\r\nContent-Length: 0\r\n\r\n");
            AsyncHttpClient client = client(HttpClientOptions.builder().maxHeaderSize(1024).build());
            ResponseTooLargeException e = assertFails(ResponseTooLargeException.class, FetchPhase.RESPONSE_HEADERS,
                    client.fetch(server.url("/")));
            assertEquals(1024, e.limit());
        });
    }

    @Test
    void garbageInsteadOfAResponse() {
        run(() -> {
            RawServer server = cutsOff("SSH-2.0-OpenSSH_9.6\r\n\r\n");
            assertFails(MalformedResponseException.class, FetchPhase.RESPONSE_HEADERS, client().fetch(server.url("/")));
        });
    }

    @Test
    void errorStatusIsAnHttpClientErrorWithTheResponse() {
        run(() -> {
            RawServer server = cutsOff("HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nlater");
            HttpClientError e = assertFails(HttpClientError.class, FetchPhase.RESPONSE_HEADERS,
                    client().fetch(server.url("/")));
            assertEquals(503, e.code());
            assertEquals("late", e.response().text());
        });
    }

    @Test
    void ipv4OnlyRefusesAnIpv6Literal() {
        run(() -> {
            HttpClientException e = assertFails(DnsFailureException.class, FetchPhase.RESOLVE, client().fetch(
                    HttpRequest.builder("http://[::1]:" + closedPort() + "/").allowIpv6(false).build()));
            assertFalse(e instanceof HttpClientError);
        });
    }

    @Test
    void ipv6LiteralUrl() {
        Assumptions.assumeTrue(ipv6LoopbackAvailable(), "no ::1 on this machine");
        run(() -> {
            Application app = closeLater(Application.builder().route("/.*", Recorder::new).build());
            int port = app.listen(0, "::1");
            AsyncHttpClient client = client();
            assertEquals("ok", await(client.fetch("http://[::1]:" + port + "/")).text());
            assertTrue(await(client.fetch("http://[::1]:" + port + "/")).timing().reusedConnection());
        });
    }

    private static boolean ipv6LoopbackAvailable() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void hostnameMappingSendsANameToAnotherAddressKeepingItsHostHeader() {
        run(() -> {
            RawServer server = okServer();
            AsyncHttpClient client = client(HttpClientOptions.builder()
                    .hostnameMapping(Map.of("api.squall.example", "127.0.0.1")).build());
            assertEquals("ok", await(client.fetch("http://api.squall.example:" + server.port + "/x")).text());
            assertTrue(server.heads.getFirst().contains("\r\nHost: api.squall.example:" + server.port + "\r\n"),
                    server.heads::toString);
        });
    }
}
