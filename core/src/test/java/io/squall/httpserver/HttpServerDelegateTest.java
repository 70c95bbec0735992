package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.ResponseStartLine;
import io.squall.httpserver.WireClient.Response;
import io.squall.iostream.IOStream;
import io.squall.testing.LogCapture;
import java.io.EOFException;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The delegate API: flow control, failures in the delegate, framing errors, detach, closing. */
class HttpServerDelegateTest extends HttpServerTestCase {

    // ------------------------------------------------------------------ flow control

    @Test
    void pendingDataReceivedFutureStopsTheServerReading() {
        Future<Void> gate = new Future<>();
        long bodySize = 1L << 30; // far more than the kernel buffers between client and server can hold
        run(() -> {
            startServer(HttpServerOptions.builder().maxBodySize(bodySize).build(), new TestApp.Behaviour() {
                @Override
                public Future<?> data(TestApp.Exchange exchange, ByteBuffer chunk) {
                    return exchange.dataCalls() == 1 ? gate : null; // count the bytes, keep none
                }

                @Override
                public void finish(TestApp.Exchange exchange) {
                    exchange.respond(200, "unreachable");
                }
            });
            SocketChannel channel = io(() -> SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
            closeLater(channel);
            String head = request("POST", "/", "Content-Length: " + bodySize) + "\r\n";
            io(() -> channel.write(ByteBuffer.wrap((head + "x".repeat(1000)).getBytes(StandardCharsets.ISO_8859_1))));
            TestApp.Exchange exchange = app.awaitRequests(1);
            app.awaitUntil("the first body piece arrived", () -> exchange.dataCalls() == 1);
            // The client writes without blocking until the kernel takes no more and no room appears for
            // a while: only a server that goes on reading could make room.
            long sent = io(() -> {
                ByteBuffer piece = ByteBuffer.allocate(1 << 20);
                long total = 1000;
                channel.configureBlocking(false);
                try (Selector selector = Selector.open()) {
                    channel.register(selector, SelectionKey.OP_WRITE);
                    while (total < bodySize) {
                        for (int n; (n = channel.write(piece.clear())) > 0; ) {
                            total += n;
                        }
                        if (selector.select(500) == 0) {
                            return total;
                        }
                        selector.selectedKeys().clear();
                    }
                }
                return total;
            });
            assertTrue(sent < bodySize / 4, "the client sent " + sent + " bytes while the delegate held the gate");
            assertEquals(1, exchange.dataCalls(), "dataReceived was called again before its future completed");
            gate.setResult(null);
            app.awaitUntil("everything sent was read", () -> exchange.bytesReceived() == sent);
            assertTrue(exchange.dataCalls() > 1);
        });
    }

    @Test
    void pendingHeadersReceivedFutureDelaysTheBody() {
        Future<Void> gate = new Future<>();
        run(() -> {
            startServer(new TestApp.Behaviour() {
                @Override
                public Future<?> headers(TestApp.Exchange exchange) {
                    return gate;
                }

                @Override
                public void finish(TestApp.Exchange exchange) {
                    exchange.respond(200, exchange.echo());
                }
            });
            WireClient client = connect();
            io(() -> client.send(request("POST", "/", "Content-Length: 5") + "\r\nhello"));
            TestApp.Exchange exchange = app.awaitRequests(1);
            app.awaitUntil("the head was read", () -> exchange.headers() != null);
            // The body is already there to read; a server that did not wait would hand it over at once.
            await(sleep(Duration.ofMillis(100)));
            assertEquals(0, exchange.dataCalls());
            gate.setResult(null);
            Response response = io(client::readResponse);
            assertTrue(response.text().contains("\"body\":\"hello\""), response.text());
        });
    }

    @Test
    void bodyPiecesAreAtMostChunkSize() {
        List<Integer> sizes = new ArrayList<>();
        run(() -> {
            startServer(HttpServerOptions.builder().chunkSize(16).build(), new TestApp.Behaviour() {
                @Override
                public Future<?> data(TestApp.Exchange exchange, ByteBuffer chunk) {
                    sizes.add(chunk.remaining());
                    exchange.append(chunk);
                    return null;
                }

                @Override
                public void finish(TestApp.Exchange exchange) {
                    exchange.respond(200, exchange.echo());
                }
            });
            WireClient client = connect();
            String fixed = "f".repeat(50);
            assertEquals(200, io(() -> client.send(request("POST", "/", "Content-Length: 50") + "\r\n" + fixed).readResponse()).status());
            assertEquals(fixed, app.exchange(0).bodyText());
            assertTrue(sizes.stream().allMatch(n -> n > 0 && n <= 16), sizes.toString());
            sizes.clear();
            String chunked = "14\r\n" + "a".repeat(20) + "\r\n1e\r\n" + "b".repeat(30) + "\r\n0\r\n\r\n";
            assertEquals(200, io(() -> client.send(request("POST", "/", "Transfer-Encoding: chunked") + "\r\n" + chunked)
                    .readResponse()).status());
            assertEquals("a".repeat(20) + "b".repeat(30), app.exchange(1).bodyText());
            assertTrue(sizes.stream().allMatch(n -> n > 0 && n <= 16), sizes.toString());
        });
    }

    @Test
    void maxBodySizeOverrideHoldsForOneRequestOnly() {
        run(() -> {
            startServer(HttpServerOptions.builder().maxBodySize(1000).build(), new TestApp.Behaviour() {
                @Override
                public Future<?> headers(TestApp.Exchange exchange) {
                    if (exchange.startLine().target().equals("/big")) {
                        exchange.connection().setMaxBodySize(10_000);
                    }
                    return null;
                }

                @Override
                public void finish(TestApp.Exchange exchange) {
                    exchange.respond(200, exchange.echo());
                }
            });
            WireClient client = connect();
            String body = "z".repeat(5000);
            Response big = io(() -> client.send(request("POST", "/big", "Content-Length: 5000") + "\r\n" + body).readResponse());
            assertEquals(200, big.status());
            Response next = io(() -> client.send(request("POST", "/next", "Content-Length: 5000") + "\r\n" + body).readResponse());
            assertEquals(413, next.status(), "the override was reset for the next request");
        });
    }

    @Test
    void bodyTimeoutOverrideHoldsForItsRequest() {
        run(() -> {
            startServer(new TestApp.Behaviour() {
                @Override
                public Future<?> headers(TestApp.Exchange exchange) {
                    exchange.connection().setBodyTimeout(Duration.ofMillis(100));
                    return null;
                }

                @Override
                public void finish(TestApp.Exchange exchange) {
                    exchange.respond(200, exchange.echo());
                }
            });
            WireClient client = connect();
            WireClient.Response timedOut = io(() -> client.send(request("POST", "/", "Content-Length: 42") + "\r\npart").readResponse());
            assertEquals(408, timedOut.status());
            assertClosedAfter(timedOut, client);
            assertTrue(app.exchange(0).connectionClosed());
        });
    }

    /** Answers {@code status} with {@code body} as soon as the head arrives, before any of the request body. */
    private static TestApp.Behaviour answeringFromHeaders(int status, String body) {
        return new TestApp.Behaviour() {
            @Override
            public Future<?> headers(TestApp.Exchange exchange) {
                exchange.respond(status, body);
                return null;
            }

            @Override
            public void finish(TestApp.Exchange exchange) {
                // already answered
            }
        };
    }

    @Test
    void requestAnsweredFromHeadersReceivedGetsNoContinueAndItsBodyIsNotRead() {
        run(() -> {
            startServer(answeringFromHeaders(403, "no uploads here"));
            WireClient client = connect();
            Response response = io(() -> client.send(request("POST", "/", "Content-Length: 100000", "Expect: 100-continue")
                    + "\r\n").readResponse());
            assertEquals(403, response.status(), "no 100 Continue first");
            assertEquals("close", response.header("Connection"), "the unread body cannot be skipped");
            assertClosedByServer(client);
            assertEquals(0, app.exchange(0).dataCalls());
        });
    }

    @Test
    void requestAnsweredFromHeadersReceivedReachesAClientStillSendingItsBody() {
        run(() -> {
            startServer(answeringFromHeaders(403, "no uploads here"));
            Response response = sendAllBeforeReading(
                    request("POST", "/", "Content-Length: " + MORE_THAN_THE_SOCKET_BUFFERS) + "\r\n");
            assertEquals(403, response.status());
            assertEquals(0, app.exchange(0).dataCalls());
        });
    }

    @Test
    void requestWithoutBodyAnsweredFromHeadersReceivedKeepsTheConnection() {
        run(() -> {
            startServer(answeringFromHeaders(200, "early"));
            WireClient client = connect();
            for (int i = 0; i < 2; i++) {
                Response response = io(() -> client.send(get("/")).readResponse());
                assertEquals("early", response.text());
                assertNull(response.header("Connection"));
            }
            assertEquals(0, app.connectionsClosed());
        });
    }

    // ------------------------------------------------------------------ failures in the delegate

    @Test
    void exceptionInHeadersReceivedGives500AndClose() {
        expectErrorLog("Uncaught exception serving");
        run(() -> {
            startServer(new TestApp.Behaviour() {
                @Override
                public Future<?> headers(TestApp.Exchange exchange) {
                    throw new IllegalStateException("boom in headers");
                }

                @Override
                public void finish(TestApp.Exchange exchange) {
                    exchange.respond(200, "unreachable");
                }
            });
            assertFailsWith500AndIsLogged("boom in headers");
        });
    }

    @Test
    void exceptionInFinishGives500AndClose() {
        expectErrorLog("Uncaught exception serving");
        run(() -> {
            startServer(exchange -> {
                throw new IOException("boom in finish");
            });
            assertFailsWith500AndIsLogged("boom in finish");
        });
    }

    private void assertFailsWith500AndIsLogged(String message) {
        WireClient client = connect();
        Response response = io(() -> client.send(get("/")).readResponse());
        assertEquals(500, response.status());
        assertClosedAfter(response, client);
        assertEquals(1, logs.events().stream().filter(e -> e.getFormattedMessage().contains("Uncaught exception serving")
                && message.equals(LogCapture.thrownMessage(e))).count());
    }

    // ------------------------------------------------------------------ framing mistakes of the delegate

    @ParameterizedTest(name = "{0} body bytes")
    @ValueSource(ints = {0, 1, 1024, 1025, 200_000})
    void aBodyGivenWithTheHeadArrivesWholeAndTheConnectionGoesOn(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        run(() -> {
            startServer(exchange -> {
                HttpHeaders headers = new HttpHeaders().add("Content-Length", Integer.toString(size));
                exchange.connection().writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), headers, ByteBuffer.wrap(body));
                exchange.connection().finish();
            });
            WireClient client = connect();
            for (int i = 0; i < 2; i++) {
                Response response = io(() -> {
                    client.send(get("/"));
                    return client.readResponse();
                });
                assertEquals(200, response.status());
                assertArrayEquals(body, response.body());
            }
        });
    }

    @Test
    void aReasonPhraseThatCouldSplitTheStatusLineIsRefused() {
        for (String reason : List.of("OK\r\nX-Injected: 1", "OK\n", "O\u0000K", "\u20ac")) {
            assertThrows(IllegalArgumentException.class, () -> new ResponseStartLine("HTTP/1.1", 200, reason), reason);
        }
        assertEquals("Caf\u00e9 \tOK", new ResponseStartLine("HTTP/1.1", 200, "Caf\u00e9 \tOK").reason());
    }

    @Test
    void writingMoreThanContentLengthClosesTheConnection() {
        run(() -> {
            startServer(exchange -> {
                HttpHeaders headers = new HttpHeaders().add("Content-Length", "5");
                exchange.connection().writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), headers, null);
                Future<Void> tooMuch = exchange.connection().write(ByteBuffer.wrap("hello world".getBytes(StandardCharsets.US_ASCII)));
                assertInstanceOf(IllegalStateException.class, tooMuch.exception());
            });
            assertNoCompleteResponse();
        });
    }

    @Test
    void writingMoreThanContentLengthWithTheHeadClosesTheConnection() {
        run(() -> {
            startServer(exchange -> {
                HttpHeaders headers = new HttpHeaders().add("Content-Length", "5");
                Future<Void> tooMuch = exchange.connection().writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"),
                        headers, ByteBuffer.wrap("hello world".getBytes(StandardCharsets.US_ASCII)));
                assertInstanceOf(IllegalStateException.class, tooMuch.exception());
            });
            assertNoCompleteResponse();
        });
    }

    @Test
    void finishingShortOfContentLengthClosesTheConnection() {
        List<Throwable> thrown = new ArrayList<>();
        run(() -> {
            startServer(exchange -> exchange.later(() -> {
                HttpHeaders headers = new HttpHeaders().add("Content-Length", "10");
                await(exchange.connection().writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), headers,
                        ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII))));
                thrown.add(assertThrows(IllegalStateException.class, () -> exchange.connection().finish()));
            }));
            assertNoCompleteResponse();
            app.awaitConnectionsClosed(1);
            assertEquals(1, thrown.size());
        });
    }

    @Test
    void aContentLengthOtherThanDecimalDigitsIsRefusedBeforeTheResponseStarts() {
        run(() -> {
            startServer(exchange -> {
                ResponseStartLine ok = new ResponseStartLine("HTTP/1.1", 200, "OK");
                for (String bad : List.of("+2", "-1", "0x2", "2 2", "2,2", "", " ", "99999999999999999999")) {
                    HttpHeaders headers = new HttpHeaders().add("Content-Length", bad);
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> exchange.connection().writeHeaders(ok, headers, null), bad);
                    assertTrue(e.getMessage().contains("Content-Length"), e.getMessage());
                }
                assertFalse(exchange.connection().responseStarted());
                HttpHeaders headers = new HttpHeaders().add("Content-Length", " 2\t");
                exchange.connection().writeHeaders(ok, headers, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)));
                exchange.connection().finish();
            });
            WireClient client = connect();
            for (int i = 0; i < 2; i++) {
                Response response = io(() -> client.send(get("/")).readResponse());
                assertEquals(200, response.status());
                assertEquals("ok", response.text());
            }
        });
    }

    /** The client sees a truncated response or none, then the close: never a complete one. */
    private void assertNoCompleteResponse() {
        WireClient client = connect();
        IOException error = io(() -> {
            client.send(get("/"));
            try {
                Response response = client.readResponse();
                throw new AssertionError("the client got a complete response: " + response + " " + response.text());
            } catch (EOFException e) {
                return e;
            }
        });
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
    }

    // ------------------------------------------------------------------ between requests

    /** An echo server and a keep-alive connection to it that has served one request: idle now. */
    private WireClient idleConnectionAfterOneRequest() {
        startServer(TestApp.echo());
        WireClient client = connect();
        assertEquals(200, io(() -> client.send(get("/first")).readResponse()).status());
        return client;
    }

    @Test
    void aHeadArrivingInPiecesOnAnIdleKeepAliveConnectionIsServed() {
        run(() -> {
            WireClient client = idleConnectionAfterOneRequest();
            // No coroutine serves the connection now, a read waits for the next head. The pieces
            // are an empty line (allowed before a request line), part of the request line, and the rest
            // but the final CRLF; after each, the loop goes round so that it reads the piece alone.
            String second = "\r\n" + get("/second", "X-Piece: yes");
            int[] cuts = {2, 9, second.length() - 2, second.length()};
            int from = 0;
            for (int cut : cuts) {
                String piece = second.substring(from, cut);
                io(() -> client.send(piece));
                await(moment());
                await(moment());
                from = cut;
            }
            Response response = io(() -> client.readResponse());
            assertEquals(200, response.status());
            assertTrue(response.text().contains("\"target\":\"/second\""), response.text());
            assertEquals(200, io(() -> client.send(get("/third")).readResponse()).status());
            assertEquals(3, app.exchanges().size());
        });
    }

    @Test
    void aClientLeavingAnIdleKeepAliveConnectionEndsIt() {
        run(() -> {
            WireClient client = idleConnectionAfterOneRequest();
            assertEquals(1, server.connectionCount());
            io(() -> {
                client.close();
                return null;
            });
            app.awaitConnectionsClosed(1);
            assertEquals(0, server.connectionCount());
            assertFalse(app.exchange(0).connectionClosed(), "the request was over before the client left");
        });
    }

    // ------------------------------------------------------------------ detach

    @Test
    void detachHandsTheStreamOver() {
        List<IOStream> detached = new ArrayList<>();
        run(() -> {
            startServer(exchange -> {
                HttpHeaders headers = new HttpHeaders().add("Upgrade", "raw").add("Connection", "Upgrade");
                exchange.connection().writeHeaders(new ResponseStartLine("HTTP/1.1", 101, "Switching Protocols"), headers, null);
                exchange.connection().finish();
                IOStream stream = exchange.connection().detach();
                detached.add(stream);
                exchange.later(() -> {
                    byte[] ping = await(stream.readBytes(4)); // sent in the same packet as the request
                    await(stream.write(("PONG after " + new String(ping, StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII)));
                    byte[] line = await(stream.readUntil("\n".getBytes(StandardCharsets.US_ASCII)));
                    await(stream.write(("ECHO " + new String(line, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII)));
                    stream.close();
                });
            });
            WireClient client = connect();
            Response switching = io(() -> client.send(get("/raw", "Connection: Upgrade", "Upgrade: raw") + "PING").readResponse());
            assertEquals(101, switching.status());
            String rest = io(() -> client.send("raw bytes\n").readUntilClose());
            assertEquals("PONG after PING\nECHO raw bytes\n", rest);
            assertEquals(0, server.connectionCount(), "a detached connection is no longer the server's");
            assertEquals(0, app.connectionsClosed(), "onClose is not called for a detached connection");
            assertTrue(detached.getFirst().isClosed());
        });
    }

    /**
     * What a detached request leaves to the stream's new owner, which may keep it for the life of the
     * connection (a WebSocket handler keeps its request): the exchange still tells the client's address,
     * TLS and loop, refuses HTTP writes, and keeps nothing of the HTTP machinery (its delegate, the
     * connection's parser, head reader and timers) reachable.
     */
    @Test
    void aDetachedExchangeKeepsNothingOfHttpAndRefusesHttpWrites() {
        List<HttpConnection> kept = new ArrayList<>();
        List<IOStream> detached = new ArrayList<>();
        List<WeakReference<HttpMessageDelegate>> delegates = new ArrayList<>();
        run(() -> {
            startServerRecordingDelegates(delegates, connection -> {
                connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 101, "Switching Protocols"),
                        new HttpHeaders().add("Upgrade", "raw").add("Connection", "Upgrade"), null);
                connection.finish();
                detached.add(connection.detach());
                kept.add(connection);
            });
            WireClient client = connect();
            assertEquals(101, io(() -> client.send(get("/raw", "Connection: Upgrade", "Upgrade: raw")).readResponse()).status());

            HttpConnection connection = kept.getFirst();
            assertEquals(detached.getFirst().remoteAddress(), connection.remoteAddress());
            assertFalse(connection.isSecure());
            assertNull(connection.tlsSession());
            assertTrue(connection.loop().inLoop());
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> connection.write(ByteBuffer.wrap(new byte[] {'x'})));
            assertTrue(refused.getMessage().contains("after detach()"), refused.getMessage());
            assertThrows(IllegalStateException.class, connection::finish);
            assertTrue(allCollected(delegates), "the detached request's delegate is still reachable");
            connection.close();
            assertTrue(detached.getFirst().isClosed(), "close() after detach closes the stream");
        });
    }

    // ------------------------------------------------------------------ closing

    @Test
    void closeAllConnectionsClosesEveryConnectionAndServingGoesOn() {
        run(() -> {
            startServer(TestApp.echo());
            List<WireClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WireClient client = connect();
                assertEquals(200, io(() -> client.send(get("/")).readResponse()).status());
                clients.add(client);
            }
            assertEquals(3, server.connectionCount());
            server.closeAllConnections();
            for (WireClient client : clients) {
                assertClosedByServer(client);
            }
            app.awaitConnectionsClosed(3);
            assertEquals(0, server.connectionCount());
            assertEquals(200, exchange(get("/after")).status());
        });
    }

    @Test
    void stopEndsListeningButKeepsOpenConnections() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            assertEquals(200, io(() -> client.send(get("/")).readResponse()).status());
            server.stop();
            // The listening socket is gone (refused), or closes as the loop goes round (reset): no answer.
            String attempt = io(() -> {
                try (WireClient late = WireClient.connect(port)) {
                    return "answered: " + late.send(get("/late")).readResponse();
                } catch (IOException e) {
                    return "failed: " + e;
                }
            });
            assertTrue(attempt.startsWith("failed: "), attempt);
            assertEquals(200, io(() -> client.send(get("/again")).readResponse()).status());
        });
    }
}
