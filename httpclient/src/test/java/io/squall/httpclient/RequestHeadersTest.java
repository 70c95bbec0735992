package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.http.HttpHeaders;
import io.squall.http.SquallVersion;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What goes on the wire in a request head (simple_httpclient_test items 1-4 and security item 3): the
 * headers the client adds, Basic authentication, the method and body checks of the builder, and the refusal
 * of CR and LF in header names and values.
 */
class RequestHeadersTest extends HttpClientTestCase {
    /** The raw server closes the connection after it, and says so, so that the client does not pool it. */
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    /** Fetches {@code request} (built from the raw server's URL) and returns the head the server received. */
    private String sentHead(AsyncHttpClient client, HttpRequest request) {
        received.clear();
        await(client.fetch(request));
        return received.getFirst();
    }

    @Test
    void defaultHeadersAndCallersHeadersUntouched() {
        run(() -> {
            String url = answering(OK);
            HttpHeaders headers = new HttpHeaders().add("X-Custom", "yes");
            HttpRequest request = HttpRequest.builder(url.replace("http://", "http://me:secret@") + "/path?a=1")
                    .headers(headers).build();
            String head = sentHead(client(), request);

            assertTrue(head.startsWith("GET /path?a=1 HTTP/1.1\r\n"), head);
            assertEquals(url.substring("http://".length()), headerIn(head, "Host"), "no credentials in Host");
            assertEquals("Squall/" + SquallVersion.VALUE, headerIn(head, "User-Agent"));
            assertEquals("gzip", headerIn(head, "Accept-Encoding"));
            assertEquals("yes", headerIn(head, "X-Custom"));
            assertNull(headerIn(head, "Connection"), "a pooling client does not send Connection: close");
            assertNull(headerIn(head, "Content-Type"));
            assertNull(headerIn(head, "Content-Length"));
            assertEquals(1, headers.size(), "the caller's headers are not mutated");
            assertEquals(List.of("X-Custom"), request.headers().names());
        });
    }

    @Test
    void userAgentFromRequestHeaderOrOptions() {
        run(() -> {
            String url = answering(OK);
            assertEquals("Req/1", headerIn(sentHead(client(), HttpRequest.builder(url).userAgent("Req/1").build()),
                    "User-Agent"));
            String head = sentHead(client(), HttpRequest.builder(url).header("User-Agent", "Hdr/1").userAgent("Req/1")
                    .build());
            assertEquals("Hdr/1", headerIn(head, "User-Agent"), "an explicit header wins");
            assertEquals(1, head.split("(?i)user-agent:").length - 1, head);
            AsyncHttpClient custom = client(HttpClientOptions.builder().userAgent("Opt/1"));
            assertEquals("Opt/1", headerIn(sentHead(custom, HttpRequest.get(url)), "User-Agent"));
        });
    }

    @Test
    void acceptEncodingOnlyWhenDecompressing() {
        run(() -> {
            String url = answering(OK);
            assertNull(headerIn(sentHead(client(), HttpRequest.builder(url).decompressResponse(false).build()),
                    "Accept-Encoding"));
        });
    }

    @Test
    void postWithoutTypeIsFormEncoded() {
        run(() -> {
            String url = answering(OK);
            String head = sentHead(client(), HttpRequest.builder(url).method("POST").body("a=1").build());
            assertTrue(head.startsWith("POST / HTTP/1.1\r\n"), head);
            assertEquals("application/x-www-form-urlencoded", headerIn(head, "Content-Type"));
            assertEquals("3", headerIn(head, "Content-Length"));
            assertTrue(head.endsWith("\r\n\r\na=1"), head);

            head = sentHead(client(), HttpRequest.builder(url).method("POST").header("Content-Type", "application/json")
                    .body("{}").build());
            assertEquals("application/json", headerIn(head, "Content-Type"));
            assertEquals(1, head.split("(?i)content-type:").length - 1, head);

            head = sentHead(client(), HttpRequest.builder(url).method("PUT").body("x").build());
            assertNull(headerIn(head, "Content-Type"), "only POST gets a default type");
        });
    }

    @Test
    void connectionCloseWhenPoolingIsOff() {
        run(() -> {
            String url = answering(OK);
            AsyncHttpClient unpooled = client(HttpClientOptions.builder().idleConnectionTimeout(Duration.ZERO));
            assertEquals("close", headerIn(sentHead(unpooled, HttpRequest.get(url)), "Connection"));
        });
    }

    @Test
    void basicAuthFromBuilderOrUrl() {
        run(() -> {
            String url = answering(OK);
            String withCredentials = url.replace("http://", "http://me:secret@");
            assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", headerIn(sentHead(client(),
                    HttpRequest.builder(url).basicAuth("Aladdin", "open sesame").build()), "Authorization"));
            assertEquals("Basic bWU6c2VjcmV0", headerIn(sentHead(client(), HttpRequest.get(withCredentials)),
                    "Authorization"));
            assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", headerIn(sentHead(client(),
                    HttpRequest.builder(withCredentials).basicAuth("Aladdin", "open sesame").build()), "Authorization"),
                    "basicAuth overrides the URL's credentials");
            assertEquals("Bearer t", headerIn(sentHead(client(), HttpRequest.builder(withCredentials)
                    .header("Authorization", "Bearer t").build()), "Authorization"), "an explicit header wins");
        });
    }

    @Test
    void bodySanityChecks() {
        String url = "http://127.0.0.1/";
        for (String method : List.of("POST", "PUT", "PATCH")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HttpRequest.builder(url).method(method).build());
            assertTrue(e.getMessage().contains("must not be null"), e.getMessage());
            HttpRequest.builder(url).method(method).body("").build(); // an empty body is a body
            HttpRequest.builder(url).method(method).bodyProducer(out -> {}).build();
            HttpRequest.builder(url).method(method).allowNonstandardMethods(true).build();
        }
        for (String method : List.of("GET", "HEAD", "DELETE", "OPTIONS")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HttpRequest.builder(url).method(method).body("x").build());
            assertTrue(e.getMessage().contains("must be null"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> HttpRequest.builder(url).method(method).bodyProducer(out -> {}).build());
            HttpRequest.builder(url).method(method).body("x").allowNonstandardMethods(true).build();
        }
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder(url).method("FOO").build());
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder(url).method("GE T"));
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder("ftp://127.0.0.1/"));
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder("http:///path"));
    }

    @Test
    void nonstandardMethodsAreSentAsIs() {
        run(() -> {
            String url = answering(OK);
            String head = sentHead(client(), HttpRequest.builder(url).method("GET").body("x")
                    .allowNonstandardMethods(true).build());
            assertTrue(head.startsWith("GET / HTTP/1.1\r\n"), head);
            assertEquals("1", headerIn(head, "Content-Length"));
            assertTrue(head.endsWith("\r\n\r\nx"), head);
            head = sentHead(client(), HttpRequest.builder(url).method("PROPFIND").allowNonstandardMethods(true).build());
            assertTrue(head.startsWith("PROPFIND / HTTP/1.1\r\n"), head);
        });
    }

    @Test
    void crOrLfInHeadersRefusedBeforeSending() {
        HttpRequest.Builder builder = HttpRequest.builder("http://127.0.0.1/");
        List<Consumer<String>> setters = List.of(
                v -> builder.header("X-Foo", v),
                v -> builder.setHeader("X-Foo", v),
                v -> builder.header(v, "bar"),
                v -> builder.header("X-Foo" + v, "bar"),
                builder::userAgent,
                v -> HttpClientOptions.builder().userAgent(v),
                v -> builder.method("GET" + v));
        for (String bad : List.of("a\rb", "a\nb", "a\r\nX-Injected: 1", "\r\n")) {
            for (Consumer<String> setter : setters) {
                assertThrows(IllegalArgumentException.class, () -> setter.accept(bad), bad);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.builder("http://127.0.0.1/a\r\nX-Injected: 1"));
        assertTrue(builder.build().headers().isEmpty(), "nothing refused was kept");
    }
}
