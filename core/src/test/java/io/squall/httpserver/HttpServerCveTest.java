package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression tests, over real sockets, for the Tornado security fixes on header and cookie parsing
 * (docs/security.md maps each Tornado CVE class to its test). The linear-time tests send heads large enough
 * that a quadratic parser would not answer within the client's read timeout; they assert on the parsed
 * result, never on a duration.
 */
class HttpServerCveTest extends HttpServerTestCase {
    /** A header limit that lets the large heads of the linear-time tests in. */
    private static final HttpServerOptions LARGE_HEADS = HttpServerOptions.builder().maxHeaderSize(2 << 20).build();

    /** Tornado 6.5.0: a control character anywhere in the request line is a 400 and a clean close. */
    @ParameterizedTest
    @ValueSource(strings = {"GET /a\u0001b HTTP/1.1", "GET\u0000 / HTTP/1.1", "GET / HTTP/1.1\u000b",
            "GET /\u007f HTTP/1.1", "G\tT / HTTP/1.1", "GET /\u0085 HTTP/1.1"})
    void requestLinesWithControlCharactersGet400(String requestLine) {
        run(() -> {
            startServer(TestApp.echo());
            WireClient client = connect();
            WireClient.Response response = io(() -> client.send(requestLine + "\r\nHost: t\r\n\r\n").readResponse());
            assertEquals(400, response.status());
            assertClosedAfter(response, client);
        });
    }

    /** Tornado 6.4.1: only SP and HTAB are whitespace around a value; NBSP (0xA0) and NEL (0x85) are kept. */
    @Test
    void onlySpaceAndTabAreTrimmedFromHeaderValues() {
        run(() -> {
            startServer(exchange -> exchange.respond(200, "[" + exchange.headers().get("X-Test") + "]"));
            WireClient.Response response = exchange(get("/", "X-Test: \t\u00a0 a \u0085\t "));
            assertEquals(200, response.status());
            assertEquals("[\u00a0 a \u0085]", response.text());
        });
    }

    /** CVE-2024-7592: a huge Cookie header full of escapes and separators is parsed in linear time. */
    @Test
    void hugeCookieHeaderIsParsedInLinearTime() {
        run(() -> {
            startServer(LARGE_HEADS, exchange -> {
                Map<String, String> cookies = new HttpServerRequest(exchange.connection(), exchange.startLine(),
                        exchange.headers()).cookies();
                exchange.respond(200, cookies.size() + " " + cookies.get("a").length() + " " + cookies.get("b"));
            });
            String escapes = "\"" + "\\\\\\073".repeat(100_000) + "\""; // \\ and \073, 100 000 times each
            String cookie = "Cookie: a=" + escapes + "; " + "x;".repeat(300_000) + " b=last";
            WireClient.Response response = exchange(get("/", cookie));
            assertEquals(200, response.status(), response.toString());
            assertEquals("3 200000 last", response.text()); // a, "" (the first of the x's) and b
        });
    }

    /** CVE-2025-67725: many repeated header lines are parsed, and joined, in linear time. */
    @Test
    void manyRepeatedHeaderLinesAreParsedInLinearTime() {
        run(() -> {
            startServer(LARGE_HEADS, exchange -> exchange.respond(200, exchange.headers().getAll("X-Repeat").size()
                    + " " + exchange.headers().getJoined("X-Repeat").length()));
            String[] lines = new String[100_000];
            Arrays.fill(lines, "X-Repeat: ab");
            WireClient.Response response = exchange(get("/", lines));
            assertEquals(200, response.status(), response.toString());
            assertEquals("100000 " + (100_000 * 2 + 99_999), response.text()); // "ab" joined by ","
        });
    }

    /**
     * Cookie values come back as {@code RequestHandler.setCookie} quoted them (a fuzzing finding: the quotes
     * were removed but not the backslash escapes inside them, so {@code a"b} came back as {@code a\"b}).
     */
    @Test
    void quotedCookieValuesAreUnescapedAsTornadoDoes() {
        run(() -> {
            startServer(exchange -> exchange.respond(200, new HttpServerRequest(exchange.connection(),
                    exchange.startLine(), exchange.headers()).cookies().toString()));
            String cookie = "Cookie: a=\"x\\\"y\\\\z\\073\\q\"; b=\"plain\"; c=\"\\\"; d=un\\\"quoted; e=\"\\400\"";
            WireClient.Response response = exchange(get("/", cookie));
            assertEquals("{a=x\"y\\z;q, b=plain, c=\\, d=un\\\"quoted, e=400}", response.text());
        });
    }
}
