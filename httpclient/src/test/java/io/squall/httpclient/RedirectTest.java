package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Following redirects (simple_httpclient_test items 5-7, security item 10): the countdown chain and its
 * limits, the method and body after 301/302/303/307/308, and which credentials survive a change of origin.
 */
class RedirectTest extends HttpClientTestCase {
    /** {@code /countdown/N} redirects to {@code /countdown/N-1}; {@code /countdown/0} says "Zero". */
    static class CountdownHandler extends RequestHandler {
        @Override
        protected void get() {
            int count = Integer.parseInt(pathArgs().getFirst());
            if (count > 0) {
                redirect("/countdown/" + (count - 1));
            } else {
                write("Zero");
            }
        }
    }

    /** A 301 without a Location. */
    static class NoLocationHandler extends RequestHandler {
        @Override
        protected void get() {
            setStatus(301);
            write("nowhere to go");
        }
    }

    private String base;

    private void serveAll() {
        base = serve(Application.builder()
                .route("/countdown/([0-9]+)", CountdownHandler::new)
                .route("/redirect", RedirectHandler::new)
                .route("/echo", EchoHandler::new)
                .route("/nolocation", NoLocationHandler::new)
                .build());
    }

    /** The path of a redirect from {@code /redirect} to {@code target} with {@code status}. */
    private static String redirect(String target, int status) {
        return "/redirect?status=" + status + "&url=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
    }

    /** Sends {@code method} with {@code body} (null: none) to {@code url}, raising no error. */
    private HttpResponse send(String method, String url, String body) {
        return await(client().fetch(HttpRequest.builder(url).method(method).body(body)
                .allowNonstandardMethods(true).build(), false));
    }

    @Test
    void followedToTheEnd() {
        run(() -> {
            serveAll();
            HttpResponse response = await(client().fetch(base + "/countdown/2"));
            assertEquals(200, response.code());
            assertEquals("Zero", response.text());
            assertTrue(response.effectiveUri().toString().endsWith("/countdown/0"), response.effectiveUri().toString());
            assertEquals(base + "/countdown/2", response.request().uri().toString());
        });
    }

    @Test
    void notFollowed() {
        run(() -> {
            serveAll();
            HttpRequest request = HttpRequest.builder(base + "/countdown/2").followRedirects(false).build();
            HttpResponse response = await(client().fetch(request, false));
            assertEquals(302, response.code());
            assertTrue(response.header("Location").endsWith("/countdown/1"), response.header("Location"));
            HttpClientError error = assertFetchFails(HttpClientError.class, client().fetch(request));
            assertEquals(302, error.code());
            assertEquals(response.header("Location"), error.response().header("Location"));
        });
    }

    @Test
    void maxRedirectsReturnsTheLastRedirect() {
        run(() -> {
            serveAll();
            HttpRequest request = HttpRequest.builder(base + "/countdown/5").maxRedirects(3).build();
            HttpResponse response = await(client().fetch(request, false));
            assertEquals(302, response.code());
            assertTrue(response.effectiveUri().toString().endsWith("/countdown/2"), response.effectiveUri().toString());
            assertTrue(response.header("Location").endsWith("/countdown/1"), response.header("Location"));
            assertSame(request, response.request());
        });
    }

    @Test
    void redirectWithoutLocationReturnedAsIs() {
        run(() -> {
            serveAll();
            HttpResponse response = await(client().fetch(HttpRequest.get(base + "/nolocation"), false));
            assertEquals(301, response.code());
            assertEquals("nowhere to go", response.text());
        });
    }

    @Test
    void redirectsShareOneSlot() {
        run(() -> {
            serveAll();
            AsyncHttpClient one = client(HttpClientOptions.builder().maxClients(1));
            assertEquals("Zero", await(one.fetch(base + "/countdown/3")).text());
        });
    }

    @Test
    void postBecomesGetAfter301And302() {
        run(() -> {
            serveAll();
            for (int status : new int[] {301, 302}) {
                JsonNode echo = send("POST", base + redirect("/echo", status), "hello").json();
                assertEquals("GET", echo.path("method").asText(), "after " + status);
                assertEquals("", echo.path("body").asText());
                assertTrue(echo.path("headers").path("content-length").isMissingNode(), echo.toString());
                assertTrue(echo.path("headers").path("content-type").isMissingNode(), echo.toString());
                // Other methods keep method and body through 301 and 302, as in Tornado.
                echo = send("PUT", base + redirect("/echo", status), "hello").json();
                assertEquals("PUT", echo.path("method").asText());
                assertEquals("hello", echo.path("body").asText());
            }
        });
    }

    @Test
    void see303BecomesGetWithoutBodyHeaders() {
        run(() -> {
            serveAll();
            for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE", "GET"}) {
                HttpRequest request = HttpRequest.builder(base + redirect("/echo", 303)).method(method)
                        .header("Content-Type", "text/plain").header("Content-Encoding", "identity")
                        .body(method.equals("GET") || method.equals("DELETE") ? null : "hello").build();
                JsonNode echo = await(client().fetch(request)).json();
                assertEquals("GET", echo.path("method").asText(), method);
                assertEquals("", echo.path("body").asText(), method);
                for (String dropped : new String[] {"content-length", "content-type", "content-encoding",
                        "transfer-encoding"}) {
                    assertTrue(echo.path("headers").path(dropped).isMissingNode(), method + ": " + echo);
                }
            }
        });
    }

    @Test
    void temporaryAndPermanentRedirectsKeepMethodAndBody() {
        run(() -> {
            serveAll();
            for (int status : new int[] {307, 308}) {
                for (String method : new String[] {"PUT", "POST", "PATCH"}) {
                    JsonNode echo = send(method, base + redirect("/echo", status), "hello").json();
                    assertEquals(method, echo.path("method").asText(), "after " + status);
                    assertEquals("hello", echo.path("body").asText(), method + " after " + status);
                }
            }
        });
    }

    @Test
    void aBodyProducerRunsAgainForTheNewLocationOf307And308() {
        run(() -> {
            serveAll();
            for (int status : new int[] {307, 308}) {
                int[] runs = {0};
                HttpRequest request = HttpRequest.builder(base + redirect("/echo", status)).method("PUT")
                        .bodyProducer(out -> {
                            runs[0]++;
                            out.write("streamed");
                        })
                        .build();
                JsonNode echo = await(client().fetch(request)).json();
                assertEquals("streamed", echo.path("body").asText(), "after " + status);
                assertEquals(2, runs[0], "once for each location, after " + status);
            }
        });
    }

    @Test
    void headStaysHead() {
        run(() -> {
            serveAll();
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                HttpResponse response = send("HEAD", base + redirect("/echo", status), null);
                assertEquals(200, response.code());
                assertEquals("HEAD", response.header("X-Method"), "after " + status);
                assertEquals(0, response.body().length);
            }
        });
    }

    /**
     * Fetches {@code from} with {@code client}, a Cookie and Basic credentials (from the builder if
     * {@code basicAuth}, else only those the URL may have), and returns the headers {@code /echo} received.
     */
    private static JsonNode credentialsAfter(AsyncHttpClient client, String from, boolean basicAuth) {
        HttpRequest.Builder request = HttpRequest.builder(from).header("Cookie", "session=1");
        if (basicAuth) {
            request.basicAuth("Aladdin", "open sesame");
        }
        HttpResponse response = await(client.fetch(request.build()));
        assertNull(response.effectiveUri().getUserInfo(), "no credentials in effectiveUri");
        return response.json().path("headers");
    }

    private static void assertStripped(JsonNode headers) {
        assertTrue(headers.path("authorization").isMissingNode(), headers.toString());
        assertTrue(headers.path("cookie").isMissingNode(), headers.toString());
    }

    @Test
    void crossOriginRedirectStripsCredentials() {
        run(() -> {
            serveAll();
            String other = serve("/echo", EchoHandler::new); // same host, another port
            assertStripped(credentialsAfter(client(), base + redirect(other + "/echo", 302), true));
            assertStripped(credentialsAfter(client(), base.replace("http://", "http://me:secret@")
                    + redirect(other + "/echo", 302), false));
        });
    }

    @Test
    void anotherHostOnTheSamePortIsAnotherOrigin() {
        run(() -> {
            serveAll();
            AsyncHttpClient mapped = client(HttpClientOptions.builder()
                    .hostnameMapping(Map.of("other.test", "127.0.0.1")));
            String otherHost = base.replace("127.0.0.1", "other.test") + "/echo";
            JsonNode headers = credentialsAfter(mapped, base + redirect(otherHost, 307), true);
            assertEquals(base.replace("http://127.0.0.1", "other.test"), headers.path("host").asText());
            assertStripped(headers);
        });
    }

    @Test
    void sameOriginRedirectKeepsCredentials() {
        run(() -> {
            serveAll();
            JsonNode headers = credentialsAfter(client(), base + redirect("/echo", 302), true);
            assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", headers.path("authorization").asText());
            assertEquals("session=1", headers.path("cookie").asText());
            headers = credentialsAfter(client(), base.replace("http://", "http://me:secret@") + redirect("/echo", 302),
                    false);
            assertEquals("Basic bWU6c2VjcmV0", headers.path("authorization").asText(), "the URL's credentials");
            assertEquals("session=1", headers.path("cookie").asText());
        });
    }
}
