package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.squall.http.HttpHeaders;
import io.squall.http.RequestStartLine;
import org.junit.jupiter.api.Test;

/** How a request splits its target: origin form and absolute form (RFC 9112 §3.2). */
class HttpServerRequestTest {
    private static HttpServerRequest request(String target, String host) {
        HttpHeaders headers = new HttpHeaders();
        if (host != null) {
            headers.set("Host", host);
        }
        return new HttpServerRequest(null, new RequestStartLine("GET", target, "HTTP/1.1"), headers);
    }

    @Test
    void originFormTakesTheHostFromTheHeader() {
        HttpServerRequest r = request("/a/b?x=1&y=2", "Example.COM:8080");
        assertEquals("/a/b", r.path());
        assertEquals("x=1&y=2", r.query());
        assertEquals("example.com:8080", r.host());
        assertEquals("example.com", r.hostName());
        assertEquals("http://example.com:8080/a/b?x=1&y=2", r.fullUrl());
    }

    @Test
    void absoluteFormRoutesOnItsPathAndTakesItsAuthorityOverTheHostHeader() {
        HttpServerRequest r = request("http://API.example.test:8888/echo?q=%20x", "ignored.test");
        assertEquals("/echo", r.path());
        assertEquals("q=%20x", r.query());
        assertEquals("api.example.test:8888", r.host());
        assertEquals("api.example.test", r.hostName());
        assertEquals("http://API.example.test:8888/echo?q=%20x", r.uri());
        assertEquals("http://api.example.test:8888/echo?q=%20x", r.fullUrl());
    }

    @Test
    void absoluteFormWithoutAPathIsTheRoot() {
        assertEquals("/", request("http://example.test", null).path());
        HttpServerRequest withQuery = request("HTTPS://user@example.test?a=b", null);
        assertEquals("/", withQuery.path());
        assertEquals("a=b", withQuery.query());
        assertEquals("example.test", withQuery.host());
    }

    @Test
    void theHostDefaultsToLoopbackWithoutHeaderOrAuthority() {
        assertEquals("127.0.0.1", request("/", null).host());
        assertEquals("[::1]", request("http://[::1]:80/x", "example.test").hostName());
    }

    @Test
    void randomAbsoluteTargetsSplitIntoAPathAndAQuery() {
        java.util.Random random = new java.util.Random(14);
        String alphabet = "ab/?#@:.%[]H";
        for (int i = 0; i < 5000; i++) {
            StringBuilder rest = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                rest.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String target = (random.nextBoolean() ? "http://" : "HTTPS://") + rest;
            HttpServerRequest r = request(target, "header.test");
            assertEquals(true, r.path().startsWith("/"), target);
            assertEquals(false, r.host().contains("/") || r.host().contains("?") || r.host().contains("@"), target);
            assertEquals(true, target.contains(r.path().substring(1)), target); // the path's "/" may be implied
            assertEquals(true, target.endsWith(r.query()), target);
        }
    }
}
