package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.http.HttpUtil;
import io.squall.httpserver.WireClient.Response;
import io.squall.iostream.StreamClosedError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad or hostile input: the exact status and a clean close, and nothing lost but that connection (the
 * server goes on serving others, and logs no error). Also clients that vanish, and the timeouts.
 */
class HttpServerBadInputTest extends HttpServerTestCase {
    private static final int MAX_HEADER_SIZE = 1024;
    private static final int MAX_BODY_SIZE = 1000;
    private static final HttpServerOptions LIMITS = HttpServerOptions.builder()
            .maxHeaderSize(MAX_HEADER_SIZE).maxBodySize(MAX_BODY_SIZE).build();

    static Stream<Arguments> badRequests() {
        String post = "POST / HTTP/1.1\r\nHost: t\r\n";
        String chunked = post + "Transfer-Encoding: chunked\r\n\r\n";
        return Stream.of(
                // Framing that could smuggle a request past a proxy.
                bad(400, "CL and TE", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                bad(400, "TE gzip, chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
                bad(400, "TE chunked, chunked", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
                bad(400, "TE twice", post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                bad(400, "unknown coding", post + "Transfer-Encoding: foo\r\n\r\n"),
                bad(400, "CL +5", post + "Content-Length: +5\r\n\r\nhello"),
                bad(400, "CL -5", post + "Content-Length: -5\r\n\r\nhello"),
                bad(400, "CL 5 5", post + "Content-Length: 5 5\r\n\r\nhello"),
                bad(400, "CL 0x5", post + "Content-Length: 0x5\r\n\r\nhello"),
                bad(400, "differing CLs", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                bad(400, "chunk size -1", chunked + "-1\r\nx\r\n0\r\n\r\n"),
                bad(400, "chunk size 0x10", chunked + "0x10\r\n0123456789abcdef\r\n0\r\n\r\n"),
                bad(400, "chunk size overflow", chunked + "FFFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n"),
                bad(400, "chunk without CRLF", chunked + "5\r\nhelloXX0\r\n\r\n"),
                // Host.
                bad(400, "no Host on 1.1", "GET / HTTP/1.1\r\n\r\n"),
                bad(400, "two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                bad(400, "Host a b", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
                bad(400, "Host a/b", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                // Header syntax.
                bad(400, "control character in value", "GET / HTTP/1.1\r\nHost: t\r\nX-Test: a\u0001b\r\n\r\n"),
                bad(400, "space before colon", "GET / HTTP/1.1\r\nHost: t\r\nX-Test : b\r\n\r\n"),
                bad(400, "obs-fold", "GET / HTTP/1.1\r\nHost: t\r\nX-Test: a\r\n b\r\n\r\n"),
                bad(400, "no colon", "GET / HTTP/1.1\r\nHost: t\r\nNoColon\r\n\r\n"),
                // Request line.
                bad(400, "method FOO,BAR", "FOO,BAR / HTTP/1.1\r\nHost: t\r\n\r\n"),
                bad(400, "method G(T", "G(T / HTTP/1.1\r\nHost: t\r\n\r\n"),
                bad(400, "two spaces", "GET  / HTTP/1.1\r\nHost: t\r\n\r\n"),
                bad(400, "garbage", "asdf\r\n\r\n"),
                bad(400, "bare LF", "GET / HTTP/1.1\nHost: t\n\n"),
                bad(505, "HTTP/2.0", "GET / HTTP/2.0\r\nHost: t\r\n\r\n"),
                bad(505, "HTTP/3.0", "GET / HTTP/3.0\r\nHost: t\r\n\r\n"),
                // Limits.
                bad(431, "head over maxHeaderSize", "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "a".repeat(2 * MAX_HEADER_SIZE) + "\r\n\r\n"),
                bad(413, "CL over maxBodySize, body not sent", post + "Content-Length: " + (MAX_BODY_SIZE + 1) + "\r\n\r\n"),
                bad(413, "CL over maxBodySize, body sent", post + "Content-Length: " + (MAX_BODY_SIZE + 1) + "\r\n\r\n"
                        + "b".repeat(MAX_BODY_SIZE + 1)),
                bad(413, "one chunk over maxBodySize", chunked + Integer.toHexString(MAX_BODY_SIZE + 1) + "\r\n"
                        + "c".repeat(MAX_BODY_SIZE + 1) + "\r\n0\r\n\r\n"),
                bad(413, "chunks adding up over maxBodySize", chunked + ("64\r\n" + "d".repeat(100) + "\r\n").repeat(11)
                        + "0\r\n\r\n"));
    }

    private static Arguments bad(int status, String name, String request) {
        return Arguments.of(status, name, request);
    }

    @ParameterizedTest(name = "{1} -> {0}")
    @MethodSource("badRequests")
    void badRequestGetsItsStatusThenACleanClose(int status, String name, String request) {
        run(() -> {
            startServer(LIMITS, TestApp.echo());
            WireClient client = connect();
            Response response = io(() -> client.send(request).readResponse());
            assertEquals(status, response.status(), name);
            assertEquals(HttpUtil.reasonPhrase(status), response.reason());
            assertClosedAfter(response, client);
            assertServesAnotherClient();
        });
    }

    @Test
    void largeBodyOverTheLimitIsRefusedEvenWhileTheClientKeepsSending() {
        run(() -> {
            startServer(LIMITS, TestApp.echo());
            WireClient client = connect();
            // The client sends a megabyte without waiting for an answer; the 413 must still reach it.
            Response response = io(() -> {
                client.send(request("POST", "/", "Content-Length: 1048576") + "\r\n");
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        client.send(new byte[1 << 20]);
                    } catch (IOException e) {
                        // the server closed: expected once it answered
                    }
                });
                try {
                    return client.readResponse();
                } finally {
                    writer.join(WireClient.TIMEOUT_MILLIS);
                }
            });
            assertEquals(413, response.status());
            assertServesAnotherClient();
        });
    }

    @Test
    void clientThatSendsItsWholeOversizedBodyBeforeReadingStillGetsThe413() {
        run(() -> {
            startServer(LIMITS, TestApp.echo());
            Response response = sendAllBeforeReading(
                    request("POST", "/", "Content-Length: " + MORE_THAN_THE_SOCKET_BUFFERS) + "\r\n");
            assertEquals(413, response.status());
            app.awaitConnectionsClosed(1);
            assertServesAnotherClient();
        });
    }

    @Test
    void malformedRequestFollowedByMoreBytesGetsIts400AndTheEndOfTheStream() {
        run(() -> {
            startServer(TestApp.echo());
            assertEquals(400, sendAllBeforeReading("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status());
        });
    }

    @Test
    void bytesSentAfterAConnectionCloseRequestDoNotCostItsResponse() {
        run(() -> {
            startServer(TestApp.echo());
            // A client that (wrongly) goes on sending after Connection: close.
            Response response = sendAllBeforeReading(get("/last", "Connection: close") + get("/ignored"));
            assertEquals(200, response.status());
            assertTrue(response.text().contains("/last"), response.text());
            assertEquals(1, app.exchanges().size());
        });
    }

    // ------------------------------------------------------------------ vanishing clients

    @Test
    void clientLeavingInTheMiddleOfTheHeadCostsOnlyItsConnection() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            io(() -> {
                client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Half: ");
                client.close();
                return null;
            });
            app.awaitConnectionsClosed(1);
            assertEquals(0, app.exchanges().size(), "no request reached the app");
            assertServesAnotherClient();
        });
    }

    @Test
    void clientLeavingInTheMiddleOfTheBodyCostsOnlyItsConnection() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            io(() -> {
                client.send(request("POST", "/", "Content-Length: 100") + "\r\n" + "x".repeat(50));
                return null;
            });
            TestApp.Exchange exchange = app.awaitRequests(1);
            app.awaitUntil("half the body arrived", () -> exchange.bodySize() == 50);
            io(() -> {
                client.close();
                return null;
            });
            app.awaitConnectionsClosed(1);
            assertTrue(exchange.connectionClosed(), "the request was told its connection closed");
            assertFalse(exchange.finished());
            assertServesAnotherClient();
        });
    }

    @Test
    void clientLeavingInTheMiddleOfAChunkedBodyCostsOnlyItsConnection() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            io(() -> client.send(request("POST", "/", "Transfer-Encoding: chunked") + "\r\n5\r\nhello\r\n10\r\nabc"));
            TestApp.Exchange exchange = app.awaitRequests(1);
            app.awaitUntil("part of the body arrived", () -> exchange.bodySize() >= 8);
            io(() -> {
                client.close();
                return null;
            });
            app.awaitConnectionsClosed(1);
            assertTrue(exchange.connectionClosed());
            assertServesAnotherClient();
        });
    }

    @Test
    void clientLeavingWhileALargeResponseStreamsCostsOnlyItsConnection() {
        run(() -> {
            startServer(exchange -> (exchange.startLine().target().equals("/big")
                    ? TestApp.streaming(10_000, 64 * 1024) : TestApp.echo()).finish(exchange));
            WireClient client = connect();
            io(() -> client.send(get("/big")));
            TestApp.Exchange exchange = app.awaitRequests(1);
            app.awaitUntil("the response is streaming", () -> exchange.piecesWritten() >= 10);
            io(() -> {
                client.close();
                return null;
            });
            app.awaitUntil("the handler saw the connection close", () -> exchange.laterFailure() != null);
            assertTrue(exchange.laterFailure() instanceof StreamClosedError, String.valueOf(exchange.laterFailure()));
            app.awaitConnectionsClosed(1);
            assertEquals(0, server.connectionCount());
            assertServesAnotherClient();
        });
    }

    @Test
    void clientLeavingWhileItsHandlerWaitsCostsOnlyItsConnection() {
        run(() -> {
            startServer(TestApp.delayedEcho(Duration.ofMillis(300)));
            WireClient client = connect();
            io(() -> client.send(get("/")));
            TestApp.Exchange exchange = app.awaitRequests(1);
            app.awaitUntil("the request was read", exchange::finished);
            io(() -> {
                client.close();
                return null;
            });
            app.awaitConnectionsClosed(1);
            assertTrue(exchange.connectionClosed());
            app.awaitUntil("the handler tried to answer", () -> exchange.laterFailure() != null);
            assertTrue(exchange.laterFailure() instanceof StreamClosedError, String.valueOf(exchange.laterFailure()));
            assertEquals(0, server.connectionCount());
        });
    }

    // ------------------------------------------------------------------ timeouts

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() {
        run(() -> {
            startServer(HttpServerOptions.builder().idleConnectionTimeout(Duration.ofMillis(200)).build(), TestApp.echo());
            WireClient client = connect();
            assertEquals(200, io(() -> client.send(get("/")).readResponse()).status());
            long start = System.nanoTime();
            assertClosedByServer(client);
            Duration idle = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(idle.compareTo(Duration.ofMillis(100)) >= 0, "closed too early: " + idle);
            assertTrue(idle.compareTo(Duration.ofSeconds(5)) < 0, "closed too late: " + idle);
            app.awaitConnectionsClosed(1);
        });
    }

    @Test
    void unusedConnectionIsClosedAfterTheIdleTimeout() {
        run(() -> {
            startServer(HttpServerOptions.builder().idleConnectionTimeout(Duration.ofMillis(200)).build(), TestApp.echo());
            WireClient client = connect();
            assertClosedByServer(client);
            app.awaitConnectionsClosed(1);
        });
    }

    @Test
    void slowHeadIsCutOffByTheIdleTimeout() {
        run(() -> {
            startServer(HttpServerOptions.builder().idleConnectionTimeout(Duration.ofMillis(200)).build(), TestApp.echo());
            WireClient client = connect();
            io(() -> {
                client.send("GET / HTTP/1.1\r\nHost: t\r\n");
                client.assertClosed();
                return null;
            });
            assertEquals(0, app.exchanges().size());
        });
    }

    @Test
    void stalledBodyIsCutOffByTheBodyTimeout() {
        run(() -> {
            startServer(HttpServerOptions.builder().bodyTimeout(Duration.ofMillis(200)).build(), TestApp.echo());
            WireClient client = connect();
            io(() -> {
                client.send(request("POST", "/", "Content-Length: 42") + "\r\nonly a part");
                client.assertClosed();
                return null;
            });
            TestApp.Exchange exchange = app.exchange(0);
            assertTrue(exchange.connectionClosed());
            assertFalse(exchange.finished());
            assertServesAnotherClient();
        });
    }

    @Test
    void headTrickledInByteByByteIsParsed() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            String request = "\r\n" + request("POST", "/trickle", "X-A: 1", "Content-Length: 3") + "\r\nabc";
            Response response = io(() -> {
                for (byte b : request.getBytes(StandardCharsets.ISO_8859_1)) {
                    client.send(new byte[] {b});
                }
                return client.readResponse();
            });
            assertEquals(200, response.status());
            assertTrue(response.text().contains("\"body\":\"abc\""), response.text());
            assertNull(response.header("Connection"));
        });
    }

    /** A new client gets a normal answer: what went before cost only its own connection. */
    private void assertServesAnotherClient() {
        Response response = exchange(get("/still-serving"));
        assertEquals(200, response.status());
        assertTrue(response.text().contains("/still-serving"));
    }
}
