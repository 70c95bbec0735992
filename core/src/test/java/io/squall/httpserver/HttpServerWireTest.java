package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.httpserver.WireClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the server sends back on the wire for well-formed HTTP/1.x traffic (raw sockets). */
class HttpServerWireTest extends HttpServerTestCase {

    @Test
    void http11KeepsTheConnectionOpenByDefault() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            for (String target : List.of("/one", "/two", "/three")) {
                Response response = io(() -> client.send(get(target)).readResponse());
                assertEquals(200, response.status());
                assertEquals("HTTP/1.1", response.version());
                assertNull(response.header("Connection"), "a persistent HTTP/1.1 response needs no Connection header");
                assertTrue(response.text().contains("\"target\":\"" + target + "\""), response.text());
            }
            assertEquals(3, app.exchanges().size());
            assertEquals(0, app.connectionsClosed());
        });
    }

    @Test
    void http10WithoutKeepAliveIsAnsweredAndClosed() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            Response response = io(() -> client.send("GET /old HTTP/1.0\r\n\r\n").readResponse());
            assertEquals(200, response.status());
            assertEquals("HTTP/1.1", response.version(), "the status line is always HTTP/1.1");
            assertEquals("close", response.header("Connection"));
            assertTrue(response.text().contains("\"version\":\"HTTP/1.0\""), response.text());
            assertClosedByServer(client);
            app.awaitConnectionsClosed(1);
        });
    }

    @Test
    void http10WithKeepAliveStaysOpen() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            for (int i = 0; i < 2; i++) {
                Response response = io(() -> client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse());
                assertEquals(200, response.status());
                assertEquals("keep-alive", response.header("Connection"));
                assertNotNull(response.header("Content-Length"));
            }
            assertEquals(0, app.connectionsClosed());
        });
    }

    @Test
    void http10KeepAliveResponseWithoutLengthIsDelimitedByClose() {
        run(() -> {
            startServer(TestApp.streaming(3, 10));
            WireClient client = connect();
            Response response = io(() -> client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readResponse());
            assertEquals(200, response.status());
            assertEquals("close", response.header("Connection"));
            assertNull(response.header("Transfer-Encoding"), "HTTP/1.0 has no chunked coding");
            assertEquals("x".repeat(30), response.text());
        });
    }

    @Test
    void noKeepAliveClosesAfterEveryResponse() {
        run(() -> {
            startServer(HttpServerOptions.builder().noKeepAlive(true).build(), TestApp.echo());
            WireClient client = connect();
            Response response = io(() -> client.send(get("/")).readResponse());
            assertEquals(200, response.status());
            assertClosedAfter(response, client);
        });
    }

    @Test
    void connectionCloseIsHonoured() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            Response response = io(() -> client.send(get("/", "Connection: close")).readResponse());
            assertEquals(200, response.status());
            assertClosedAfter(response, client);
        });
    }

    @Test
    void responseWithoutLengthIsChunkedForHttp11() {
        run(() -> {
            startServer(TestApp.streaming(4, 1000));
            Response response = exchange(get("/"));
            assertEquals(200, response.status());
            assertEquals("chunked", response.header("Transfer-Encoding"));
            assertNull(response.header("Content-Length"));
            assertEquals(4000, response.body().length);
        });
    }

    @Test
    void responsesInSeveralWritesAreNotHeldBackByNagle() {
        run(() -> {
            startServer(TestApp.streaming(2, 10)); // head, two pieces, last chunk: four writes
            WireClient client = connect();
            int exchanges = 50;
            long start = System.nanoTime();
            for (int i = 0; i < exchanges; i++) {
                assertEquals(200, io(() -> client.send(get("/")).readResponse()).status());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // With Nagle's algorithm on, each response's second write waits for the client's delayed
            // ACK (40 ms at least on Linux): 50 exchanges would take 2 s or more.
            assertTrue(took.compareTo(Duration.ofMillis(1500)) < 0, exchanges + " exchanges took " + took);
        });
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            String pipeline = get("/first")
                    + request("POST", "/second", "Transfer-Encoding: chunked") + "\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                    + request("POST", "/third", "Content-Length: 3") + "\r\nabc";
            io(() -> client.send(pipeline));
            Response first = io(client::readResponse);
            Response second = io(client::readResponse);
            Response third = io(client::readResponse);
            assertTrue(first.text().contains("\"target\":\"/first\""), first.text());
            assertTrue(second.text().contains("\"target\":\"/second\""), second.text());
            assertTrue(second.text().contains("\"body\":\"hello world\""), second.text());
            assertTrue(third.text().contains("\"target\":\"/third\""), third.text());
            assertTrue(third.text().contains("\"body\":\"abc\""), third.text());
            assertEquals(0, app.connectionsClosed());
        });
    }

    @Test
    void finishStillRunningAfterItsResponseDoesNotHoldUpTheNextRequest() {
        Future<Void> release = new Future<>();
        List<String> events = new ArrayList<>();
        run(() -> {
            startServer(exchange -> {
                String target = exchange.startLine().target();
                exchange.respond(200, target);
                if (target.equals("/first")) {
                    await(release); // suspended past its response: the connection serves on meanwhile
                    events.add("first resumed");
                }
            });
            WireClient client = connect();
            io(() -> client.send(get("/first") + get("/second")));
            assertEquals("/first", io(client::readResponse).text());
            assertEquals("/second", io(client::readResponse).text());
            release.setResult(null);
            assertEquals("/third", io(() -> client.send(get("/third")).readResponse()).text());
            assertEquals(List.of("first resumed"), events);
            assertEquals(0, app.connectionsClosed());
        });
    }

    @Test
    void pipelinedRequestsWaitForSlowResponses() {
        run(() -> {
            startServer(exchange -> {
                Duration delay = exchange.startLine().target().equals("/slow") ? Duration.ofMillis(200) : Duration.ZERO;
                TestApp.delayedEcho(delay).finish(exchange);
            });
            WireClient client = connect();
            io(() -> client.send(get("/slow") + get("/fast")));
            assertTrue(io(client::readResponse).text().contains("/slow"));
            assertTrue(io(client::readResponse).text().contains("/fast"));
        });
    }

    @Test
    void chunkedRequestBodyIgnoresExtensionsAndAcceptsTrailers() {
        run(() -> {
            startServer(TestApp.echo());
            Response response = exchange(request("POST", "/", "Transfer-Encoding: Chunked") + "\r\n"
                    + "5;name=value\r\nhello\r\n"
                    + "6 ; a ; b=\"quoted;\"\r\n world\r\n"
                    + "0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n");
            assertEquals(200, response.status());
            assertTrue(response.text().contains("\"body\":\"hello world\""), response.text());
        });
    }

    @Test
    void http10ChunkedBodyIsDecodedThenTheConnectionCloses() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            // RFC 9112 §6.1: a Transfer-Encoding in HTTP/1.0 means closing after the message.
            Response response = io(() -> client.send("POST / HTTP/1.0\r\nConnection: keep-alive\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n").readResponse());
            assertEquals(200, response.status());
            assertTrue(response.text().contains("\"body\":\"abc\""), response.text());
            assertClosedAfter(response, client);
        });
    }

    @Test
    void extraEmptyLinesBetweenRequestsAreIgnored() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            assertEquals(200, io(() -> client.send(request("POST", "/", "Content-Length: 2") + "\r\nab\r\n").readResponse()).status());
            assertEquals(200, io(() -> client.send("\r\n\r\n" + get("/after")).readResponse()).status());
            assertEquals("/after", app.exchange(1).startLine().target());
        });
    }

    @Test
    void expectContinueGetsAnInterimResponseBeforeTheBodyIsSent() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            Response interim = io(() -> client.send(request("POST", "/", "Content-Length: 5", "Expect: 100-continue") + "\r\n")
                    .readResponse());
            assertEquals(100, interim.status());
            assertEquals("Continue", interim.reason());
            Response response = io(() -> client.send("hello").readResponse());
            assertEquals(200, response.status());
            assertTrue(response.text().contains("\"body\":\"hello\""), response.text());
        });
    }

    @Test
    void requestRejectedBeforeItsBodyGetsNoContinue() {
        run(() -> {
            startServer(HttpServerOptions.builder().maxBodySize(10).build(), TestApp.echo());
            WireClient client = connect();
            Response response = io(() -> client.send(request("POST", "/", "Content-Length: 11", "Expect: 100-continue") + "\r\n")
                    .readResponse());
            assertEquals(413, response.status());
            assertClosedByServer(client);
        });
    }

    @Test
    void http10ExpectContinueGetsNoInterimResponse() {
        run(() -> {
            startServer(TestApp.echo());
            // RFC 9110 §10.1.1: a server MUST NOT send 100 to an HTTP/1.0 client.
            Response response = exchange("POST / HTTP/1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nab");
            assertEquals(200, response.status());
            assertTrue(response.text().contains("\"body\":\"ab\""), response.text());
        });
    }

    @Test
    void headResponsesHaveNoBody() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            Response head = io(() -> client.send(request("HEAD", "/") + "\r\n").readResponse(true));
            assertEquals(200, head.status());
            assertTrue(Integer.parseInt(head.header("Content-Length")) > 0, "HEAD keeps the GET's Content-Length");
            // Had the body been sent, this would read it as the next status line.
            Response next = io(() -> client.send(get("/next")).readResponse());
            assertEquals(200, next.status());
            assertTrue(next.text().contains("/next"));
        });
    }

    @Test
    void headResponseWithoutLengthIsNotChunked() {
        run(() -> {
            startServer(TestApp.streaming(2, 10));
            WireClient client = connect();
            Response head = io(() -> client.send(request("HEAD", "/") + "\r\n").readResponse(true));
            assertEquals(200, head.status());
            assertNull(head.header("Transfer-Encoding"));
            assertEquals(200, io(() -> client.send(get("/next")).readResponse()).status());
        });
    }

    @Test
    void noContentAndNotModifiedHaveNoBodyFraming() {
        run(() -> {
            startServer(exchange -> TestApp.status(Integer.parseInt(exchange.startLine().target().substring(1)))
                    .finish(exchange));
            WireClient client = connect();
            for (int status : new int[] {204, 304, 204}) {
                Response response = io(() -> client.send(get("/" + status)).readResponse());
                assertEquals(status, response.status());
                assertNull(response.header("Content-Length"), status + " with Content-Length");
                assertNull(response.header("Transfer-Encoding"), status + " with Transfer-Encoding");
            }
            assertEquals(0, app.connectionsClosed());
        });
    }

    @Test
    void dateHeaderIsPresentAndCurrent() {
        run(() -> {
            startServer(TestApp.echo());
            Response response = exchange(get("/"));
            String date = response.header("Date");
            assertNotNull(date);
            Instant sent = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertTrue(date.endsWith(" GMT"), date);
            long skew = Math.abs(Duration.between(sent, Instant.now()).toSeconds());
            assertTrue(skew <= 5, "Date " + date + " is " + skew + " s away from now");
        });
    }
}
