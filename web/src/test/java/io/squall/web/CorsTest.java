package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The built-in {@link CorsFilter}: preflights, allowed and refused origins, credentials, Vary. */
class CorsTest extends WebTestCase {
    /** Counts the requests that reach it. */
    static final class Api extends RequestHandler {
        static int reached;

        @Override
        protected void get() {
            reached++;
            setHeader("X-Total", "3");
            write("data");
        }

        @Override
        protected void delete() {
            reached++;
            throw new HttpError(409);
        }
    }

    private void serveApi(CorsFilter cors) {
        Api.reached = 0;
        serve(Application.builder().filter(cors).route("/api", Api::new).build());
    }

    private static CorsFilter exampleCors() {
        return CorsFilter.builder()
                .allowedOrigins("https://app.example")
                .allowedMethods("GET", "DELETE")
                .allowedHeaders("Content-Type", "X-Token")
                .exposedHeaders("X-Total")
                .allowCredentials(true)
                .maxAge(Duration.ofMinutes(10))
                .build();
    }

    private HttpResponse<String> preflight(String origin, String method, String headers) {
        HttpRequest.Builder b = request("/api").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", method);
        if (headers != null) {
            b.header("Access-Control-Request-Headers", headers);
        }
        return send(b.build());
    }

    private static Optional<String> header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name);
    }

    @Test
    void preflightIsAnsweredWithoutReachingTheHandler() {
        run(() -> {
            serveApi(exampleCors());
            var ok = preflight("https://app.example", "DELETE", "x-token, Content-Type");
            assertEquals(204, ok.statusCode());
            assertEquals("https://app.example", header(ok, "Access-Control-Allow-Origin").orElseThrow());
            assertEquals("GET, DELETE", header(ok, "Access-Control-Allow-Methods").orElseThrow());
            assertEquals("x-token, content-type", header(ok, "Access-Control-Allow-Headers").orElseThrow());
            assertEquals("true", header(ok, "Access-Control-Allow-Credentials").orElseThrow());
            assertEquals("600", header(ok, "Access-Control-Max-Age").orElseThrow());
            assertTrue(ok.headers().allValues("Vary").toString().contains("Origin"), ok.headers().toString());
            var badMethod = preflight("https://app.example", "PUT", null);
            assertEquals(403, badMethod.statusCode());
            assertEquals(Optional.empty(), header(badMethod, "Access-Control-Allow-Methods"));
            assertEquals(Optional.empty(), header(badMethod, "Access-Control-Allow-Origin"));
            var badHeader = preflight("https://app.example", "GET", "X-Other");
            assertEquals(403, badHeader.statusCode());
            var badOrigin = preflight("https://evil.example", "GET", null);
            assertEquals(403, badOrigin.statusCode());
            assertEquals(Optional.empty(), header(badOrigin, "Access-Control-Allow-Origin"));
            assertEquals(0, Api.reached);
        });
    }

    @Test
    void actualRequestsGetCorsHeadersOnlyForAllowedOrigins() {
        run(() -> {
            serveApi(exampleCors());
            var allowed = send(request("/api").header("Origin", "https://app.example").build());
            assertEquals("data", allowed.body());
            assertEquals("https://app.example", header(allowed, "Access-Control-Allow-Origin").orElseThrow());
            assertEquals("true", header(allowed, "Access-Control-Allow-Credentials").orElseThrow());
            assertEquals("X-Total", header(allowed, "Access-Control-Expose-Headers").orElseThrow());
            assertEquals("Origin", header(allowed, "Vary").orElseThrow());
            var error = send(request("/api").DELETE().header("Origin", "https://app.example").build());
            assertEquals(409, error.statusCode());
            assertEquals("https://app.example", header(error, "Access-Control-Allow-Origin").orElseThrow());
            var refused = send(request("/api").header("Origin", "https://evil.example").build());
            assertEquals("data", refused.body()); // served: the browser hides it
            assertEquals(Optional.empty(), header(refused, "Access-Control-Allow-Origin"));
            assertEquals(Optional.empty(), header(refused, "Access-Control-Allow-Credentials"));
            assertEquals("Origin", header(refused, "Vary").orElseThrow());
            var sameOrigin = fetch("/api");
            assertEquals(Optional.empty(), header(sameOrigin, "Access-Control-Allow-Origin"));
        });
    }

    @Test
    void anyOriginWithoutCredentialsIsAStar() {
        run(() -> {
            serve(Application.builder()
                    .filter(CorsFilter.builder().allowedOrigins("*").build())
                    .route("/api", Api::new)
                    .build());
            var any = send(request("/api").header("Origin", "https://whoever.example").build());
            assertEquals("*", header(any, "Access-Control-Allow-Origin").orElseThrow());
            assertEquals(Optional.empty(), header(any, "Access-Control-Allow-Credentials"));
        });
    }

    @Test
    void originsByPredicate() {
        run(() -> {
            serveApi(CorsFilter.builder().allowedOrigins(o -> o.endsWith(".example.org")).build());
            var sub = send(request("/api").header("Origin", "https://a.example.org").build());
            assertEquals("https://a.example.org", header(sub, "Access-Control-Allow-Origin").orElseThrow());
            var other = send(request("/api").header("Origin", "https://example.com").build());
            assertEquals(Optional.empty(), header(other, "Access-Control-Allow-Origin"));
        });
    }

    @Test
    void curlPreflight() {
        run(() -> {
            serveApi(exampleCors());
            String out = curlOutput("--include", "--request", "OPTIONS",
                    "--header", "Origin: https://app.example",
                    "--header", "Access-Control-Request-Method: GET",
                    "http://127.0.0.1:" + port + "/api");
            assertTrue(out.startsWith("HTTP/1.1 204 No Content\r\n"), out);
            assertTrue(out.contains("\r\nAccess-Control-Allow-Origin: https://app.example\r\n"), out);
            assertTrue(out.contains("\r\nAccess-Control-Allow-Methods: GET, DELETE\r\n"), out);
        });
    }
}
