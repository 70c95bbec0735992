package io.squall.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz tests of the decoders of query strings, form bodies and {@code host:port} in {@link HttpUtil}
 * (Jazzer; regression inputs under {@code src/test/resources/io/squall/http/HttpUtilFuzzTestInputs/}).
 * Properties: lenient decoding never fails and keeps one value per non-empty pair; strict decoding fails
 * only with {@link IllegalArgumentException} and otherwise agrees with lenient decoding; text without
 * escapes decodes to itself; what {@link URLEncoder} encodes decodes back; a port is split off only when
 * it is one.
 */
class HttpUtilFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void queryString(FuzzedDataProvider data) {
        boolean latin1Body = data.consumeBoolean();
        String query = latin1Body
                ? new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1)
                : data.consumeRemainingAsString();
        Map<String, List<String>> lenient = HttpUtil.parseQueryString(query, false);
        long pairs = query.chars().filter(c -> c == '&').count() + 1;
        assertEquals(pairs - countEmptySegments(query), lenient.values().stream().mapToLong(List::size).sum(),
                "one value per non-empty pair of " + query);
        if (query.indexOf('%') < 0 && query.indexOf('+') < 0) {
            assertEquals(naiveSplit(query), lenient, "text without escapes decodes to itself");
        }
        try {
            assertEquals(lenient, HttpUtil.parseQueryString(query, true), "strict vs lenient");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("UTF-8"), e.toString());
        }
        if (latin1Body) {
            byte[] body = query.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(lenient, HttpUtil.parseBodyArguments("Application/X-WWW-Form-Urlencoded; charset=x", body, false));
            assertTrue(HttpUtil.parseBodyArguments("text/plain", body, true).isEmpty(), "a body that is not a form");
        }
    }

    /** Names and values encoded by {@link URLEncoder} and joined with {@code &} decode to themselves. */
    @FuzzTest(maxDuration = "60s")
    void formRoundTrip(FuzzedDataProvider data) {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        List<String> pairs = new ArrayList<>();
        int n = data.consumeInt(0, 8);
        for (int i = 0; i < n; i++) {
            String name = wellFormed(data.consumeString(16));
            String value = wellFormed(data.consumeString(32));
            expected.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            pairs.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        String query = String.join("&", pairs);
        assertEquals(expected, HttpUtil.parseQueryString(query, true), "decoded " + query);
        for (String pair : pairs) {
            String name = pair.substring(0, pair.indexOf('='));
            assertEquals(URLEncoder.encode(HttpUtil.urlDecode(name, true), StandardCharsets.UTF_8), name, "urlDecode");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void hostAndPort(FuzzedDataProvider data) {
        String netloc = data.consumeRemainingAsString();
        HttpUtil.HostAndPort split = HttpUtil.splitHostAndPort(netloc);
        if (split.port().isEmpty()) {
            assertEquals(netloc, split.host(), "no port: the host is the whole string");
            return;
        }
        int port = split.port().getAsInt();
        String digits = netloc.substring(split.host().length() + 1);
        assertTrue(!split.host().isEmpty() && netloc.startsWith(split.host() + ":"), "host of " + netloc);
        assertTrue(digits.matches("[0-9]{1,5}") && Integer.parseInt(digits) == port && port <= 65535, "port of " + netloc);
    }

    /** {@code s} as UTF-8 would carry it: unpaired surrogates replaced. */
    private static String wellFormed(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static long countEmptySegments(String query) {
        return Arrays.stream(query.split("&", -1)).filter(String::isEmpty).count();
    }

    /** Splits at {@code &} and the first {@code =}, without decoding anything. */
    private static Map<String, List<String>> naiveSplit(String query) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                result.computeIfAbsent(eq < 0 ? pair : pair.substring(0, eq), k -> new ArrayList<>())
                        .add(eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return result;
    }
}
