package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.squall.http.HttpHeaders;
import io.squall.http.RequestStartLine;
import io.squall.httpserver.HttpServerRequest;
import java.util.Map;

/**
 * Fuzz tests of cookies (Jazzer; regression inputs under
 * {@code src/test/resources/io/squall/web/CookieFuzzTestInputs/}): any {@code Cookie} header a client can
 * send parses without an exception into trimmed names without {@code ;} or {@code =}; and a cookie set with
 * {@link RequestHandler#setCookie} comes back, when the browser returns it, as the value that was set.
 */
class CookieFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void cookieHeader(FuzzedDataProvider data) {
        HttpHeaders headers = new HttpHeaders();
        int fields = data.consumeInt(1, 3);
        for (int i = 0; i < fields; i++) {
            headers.add("Cookie", fieldValue(i + 1 < fields ? data.consumeString(200) : data.consumeRemainingAsString()));
        }
        Map<String, String> cookies = request(headers).cookies();
        long segments = headers.getAll("Cookie").stream().mapToLong(h -> h.split(";", -1).length).sum();
        assertTrue(cookies.size() <= segments, "more cookies than ;-separated segments");
        cookies.forEach((name, value) -> {
            assertTrue(name.indexOf(';') < 0 && name.indexOf('=') < 0, "name " + name);
            assertEquals(name.strip(), name, "untrimmed name");
            assertTrue(!name.isEmpty() || !value.isEmpty(), "an empty cookie");
        });
    }

    @FuzzTest(maxDuration = "60s")
    void setCookieRoundTrip(FuzzedDataProvider data) {
        String name = data.consumeString(16);
        String value = data.consumeString(64);
        String setCookie;
        try {
            setCookie = Cookies.format(name, value, CookieOptions.builder().path("/").httpOnly(data.consumeBoolean()).build());
        } catch (IllegalArgumentException refused) {
            return; // names and values a cookie cannot carry are refused up front
        }
        int semicolon = setCookie.indexOf("; ");
        String pair = semicolon < 0 ? setCookie : setCookie.substring(0, semicolon);
        HttpHeaders headers = new HttpHeaders().add("Cookie", "other=1; " + pair + "; last=\"2\"");
        Map<String, String> cookies = request(headers).cookies();
        if (!name.equals("other")) { // the first of a repeated name wins
            assertEquals(value, cookies.get(name), "value of " + pair + " (Set-Cookie: " + setCookie + ")");
        }
        if (!name.equals("last")) {
            assertEquals("2", cookies.get("last"), "the cookie after " + pair);
        }
    }

    private static HttpServerRequest request(HttpHeaders headers) {
        return new HttpServerRequest(null, new RequestStartLine("GET", "/", "HTTP/1.1"), headers);
    }

    /** {@code s} made into what a header value can hold after parsing: Latin-1, no control character but HTAB, trimmed. */
    private static String fieldValue(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.chars().forEach(c -> {
            int b = c & 0xFF;
            out.append(b == '\t' || b >= 0x20 && b != 0x7F ? (char) b : '_');
        });
        return out.toString().strip();
    }
}
