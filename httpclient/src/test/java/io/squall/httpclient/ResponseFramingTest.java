package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.TestBytes;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * How the client frames and bounds response bodies and heads, against raw servers sending exact bytes
 * (simple_httpclient_test items 13-15): bodyless responses, read-until-close, chunked, ambiguous framing,
 * interim responses, obs-fold, Latin-1 header bytes, and the header and body size limits.
 */
class ResponseFramingTest extends HttpClientTestCase {
    private static final int KIB = 1024;
    private static final byte[] BODY_100K = TestBytes.random(100 * KIB, 7);

    /** A request timeout well under the test's, so that a client waiting for a body that never comes fails fast. */
    private static HttpRequest.Builder request(String url) {
        return HttpRequest.builder(url).requestTimeout(Duration.ofSeconds(5));
    }

    /** A keep-alive raw server answering each request head with {@code answer.apply(head)}. */
    private String keepAliveServer(UnaryOperator<String> answer) {
        return rawServer((stream, head) -> await(stream.write(TestBytes.bytes(answer.apply(head)))));
    }

    /**
     * Fetches {@code method} twice over one keep-alive connection whose server sends {@code responseHead}
     * (a head that may announce a body it does not send): both responses must come back bodiless, the second
     * on the reused connection, which proves the client read no body.
     */
    private HttpResponse assertNoBodyRead(String method, String responseHead) {
        String url = keepAliveServer(head -> responseHead);
        HttpResponse response = null;
        for (int i = 0; i < 2; i++) {
            response = await(client().fetch(request(url).method(method).build(), false));
            assertEquals(0, response.body().length);
            assertEquals(i == 1, response.timing().reusedConnection(), "fetch " + i);
        }
        return response;
    }

    @Test
    void responsesWithoutBody() {
        run(() -> {
            // HEAD: a Content-Length but no body; 204 without Content-Length; 304 with a Content-Length.
            HttpResponse head = assertNoBodyRead("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n");
            assertEquals("7", head.header("Content-Length"));
            HttpResponse noContent = assertNoBodyRead("GET", "HTTP/1.1 204 No Content\r\n\r\n");
            assertEquals(204, noContent.code());
            assertNull(noContent.header("Content-Length"));
            HttpResponse notModified = assertNoBodyRead("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 42\r\n\r\n");
            assertEquals(304, notModified.code());
            assertEquals("42", notModified.header("Content-Length"));
        });
    }

    @Test
    void noContentWithBodyIsMalformed() {
        run(() -> {
            String url = answering("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello");
            MalformedResponseException e = assertFetchFails(MalformedResponseException.class, client().fetch(url));
            assertEquals(FetchPhase.RESPONSE_HEADERS, e.phase());
            url = answering("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n");
            assertEquals(204, await(client().fetch(url)).code());
        });
    }

    @Test
    void bodyWithoutLengthReadUntilClose() {
        run(() -> {
            String url = answering("HTTP/1.1 200 OK\r\n\r\nhello ", "world");
            HttpResponse response = await(client().fetch(url));
            assertEquals("hello world", response.text());
        });
    }

    @Test
    void chunkedEndingWithTheClose() {
        run(() -> {
            // The last chunks, the end of the body and the close come together.
            String url = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n1\r\n", "1\r\n2\r\n0\r\n\r\n");
            assertEquals("12", await(client().fetch(url)).text());
        });
    }

    @Test
    void transferEncodingWithContentLengthIsMalformed() {
        run(() -> {
            String url = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n"
                    + "2\r\nok\r\n0\r\n\r\n");
            assertEquals(FetchPhase.RESPONSE_HEADERS,
                    assertFetchFails(MalformedResponseException.class, client().fetch(url)).phase());
        });
    }

    @Test
    void repeatedContentLengths() {
        run(() -> {
            for (String lengths : List.of("2,2", "2, 2,2", "2\r\nContent-Length: 2")) {
                String url = answering("HTTP/1.1 200 OK\r\nContent-Length: " + lengths + "\r\n\r\nok");
                assertEquals("ok", await(client().fetch(url)).text(), lengths);
            }
            for (String lengths : List.of("2,4", "2\r\nContent-Length: 4", "+2", "2,")) {
                String url = answering("HTTP/1.1 200 OK\r\nContent-Length: " + lengths + "\r\n\r\nokok");
                assertFetchFails(MalformedResponseException.class, client().fetch(url));
            }
        });
    }

    @Test
    void interimResponsesAreSkipped() {
        run(() -> {
            String url = answering("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n",
                    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            HttpResponse response = await(client().fetch(url));
            assertEquals(200, response.code());
            assertEquals("ok", response.text());
            assertNull(response.header("Link"), "the interim response's headers are not the final ones");
        });
    }

    @Test
    void interimResponseWithBodyIsAnError() {
        run(() -> {
            // RFC 9112 §6.3 ends every 1xx at its empty line whatever its Content-Length says, and so does
            // HttpParser: the "body" is then read as the next status line and is malformed. (Tornado refuses the
            // 1xx itself for having a Content-Length; Squall fails one step later, with the same exception type.)
            String url = answering("HTTP/1.1 100 Continue\r\nContent-Length: 5\r\n\r\nhello"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            MalformedResponseException e = assertFetchFails(MalformedResponseException.class, client().fetch(url));
            assertEquals(FetchPhase.RESPONSE_HEADERS, e.phase());
        });
    }

    @Test
    void obsFoldBecomesOneSpace() {
        run(() -> {
            String url = answering("HTTP/1.1 200 OK\r\nX-XSS-Protection: 1;\r\n\tmode=block\r\nContent-Length: 0\r\n\r\n");
            assertEquals("1; mode=block", await(client().fetch(url)).header("X-XSS-Protection"));
        });
    }

    @Test
    void latin1HeaderBytesRoundTrip() {
        run(() -> {
            String url = answering(response("Foo: b\u00e4r\r\nContent-Length: 0\r\n", new byte[0]));
            assertEquals("b\u00e4r", await(client().fetch(url)).header("Foo"));
        });
    }

    @Test
    void headLargerThanMaxHeaderSize() {
        run(() -> {
            AsyncHttpClient small = client(HttpClientOptions.builder().maxHeaderSize(1024));
            String big = answering("HTTP/1.1 200 OK\r\nX-Filler: " + "a".repeat(1000) + "\r\nContent-Length: 2\r\n\r\nok");
            assertEquals(1024, assertTooLarge(FetchPhase.RESPONSE_HEADERS, small.fetch(big)).limit());
            String fits = answering("HTTP/1.1 200 OK\r\nX-Filler: " + "a".repeat(900) + "\r\nContent-Length: 2\r\n\r\nok");
            assertEquals("ok", await(small.fetch(fits)).text());
        });
    }

    /** The three framings of the 100 KiB body. */
    private List<String> serversOf100K() {
        return List.of(
                answering(response("Content-Length: " + BODY_100K.length + "\r\n", BODY_100K)),
                answering(response("Transfer-Encoding: chunked\r\n", chunked(BODY_100K, 8 * KIB))),
                answering(response("", BODY_100K)));
    }

    @Test
    void bodyLargerThanMaxBodySize() {
        run(() -> {
            AsyncHttpClient small = client(HttpClientOptions.builder().maxBodySize(64 * KIB));
            for (String url : serversOf100K()) {
                assertEquals(64 * KIB, assertTooLarge(FetchPhase.RESPONSE_BODY, small.fetch(url)).limit());
            }
        });
    }

    @Test
    void bodyUpToMaxBodySize() {
        run(() -> {
            AsyncHttpClient exact = client(HttpClientOptions.builder().maxBodySize(100 * KIB).chunkSize(16 * KIB));
            for (String url : serversOf100K()) {
                assertEquals(TestBytes.sha256(BODY_100K), TestBytes.sha256(await(exact.fetch(url)).body()), url);
            }
        });
    }

    @Test
    void connectionClosedEarly() {
        run(() -> {
            String url = answering("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
            StreamClosedEarlyException e = assertFetchFails(StreamClosedEarlyException.class, client().fetch(url));
            assertEquals(FetchPhase.RESPONSE_BODY, e.phase());
            url = answering("HTTP/1.1 200 OK\r\nContent-Le");
            e = assertFetchFails(StreamClosedEarlyException.class, client().fetch(url));
            assertEquals(FetchPhase.RESPONSE_HEADERS, e.phase());
            url = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
            e = assertFetchFails(StreamClosedEarlyException.class, client().fetch(url));
            assertEquals(FetchPhase.RESPONSE_BODY, e.phase());
            assertFalse(e.getMessage().isEmpty());
        });
    }

    @Test
    void bareLfResponseAccepted() {
        run(() -> {
            String url = answering("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
            HttpResponse response = await(client().fetch(url));
            assertEquals("ok", response.text());
            assertTrue(response.headers().contains("Content-Length"));
        });
    }
}
