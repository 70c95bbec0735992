package io.squall.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class HttpUtilTest {
    /** The expected values are what Python's {@code parse_qs(q, keep_blank_values=True)} returns. */
    @Test
    void parsesQueryStringsLikeParseQsBytes() {
        assertEquals(ordered("a", List.of("1", "3"), "b", List.of("2")), HttpUtil.parseQueryString("a=1&b=2&a=3"));
        assertEquals(Map.of("a b", List.of("c d e")), HttpUtil.parseQueryString("a+b=c+d%20e"));
        assertEquals(ordered("x", List.of("%zz"), "y", List.of("%4")), HttpUtil.parseQueryString("x=%zz&y=%4"));
        assertEquals(ordered("a", List.of(""), "", List.of("v"), "b", List.of("")),
                HttpUtil.parseQueryString("&&a&=v&b="));
        assertEquals(Map.of("k", List.of("\u00e9\u20ac")), HttpUtil.parseQueryString("k=%C3%A9%E2%82%AC"));
        assertEquals(Map.of("k", List.of("\ufffdx")), HttpUtil.parseQueryString("k=%C3x"));
        assertEquals(Map.of("n\u00e9", List.of("v")), HttpUtil.parseQueryString("n%C3%A9=v"));
        assertEquals(Map.of("a", List.of("b=c")), HttpUtil.parseQueryString("a=b=c"));
        assertEquals(Map.of("k", List.of("caf\u00e9")), HttpUtil.parseQueryString("k=caf\u00e9"));
        assertEquals(Map.of(";a", List.of("1")), HttpUtil.parseQueryString(";a=1"));
        assertEquals(Map.of("a", List.of("+ %")), HttpUtil.parseQueryString("a=%2B+%25"));
        assertEquals(Map.of(), HttpUtil.parseQueryString(""));
        assertEquals(List.of("a", "b", "c"), List.copyOf(HttpUtil.parseQueryString("a&b&c&a").keySet()));
    }

    @Test
    void returnsAMutableMap() {
        Map<String, List<String>> query = HttpUtil.parseQueryString("a=1");
        query.get("a").add("2");
        query.put("b", List.of());
        assertEquals(List.of("1", "2"), query.get("a"));
    }

    @Test
    void formatsImfFixdates() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpUtil.formatDate(Instant.parse("1994-11-06T08:49:37.999Z")));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpUtil.formatDate(Instant.EPOCH));
    }

    @Test
    void knowsStandardReasonPhrases() {
        assertEquals("OK", HttpUtil.reasonPhrase(200));
        assertEquals("Not Found", HttpUtil.reasonPhrase(404));
        assertEquals("Content Too Large", HttpUtil.reasonPhrase(413));
        assertEquals("Request Header Fields Too Large", HttpUtil.reasonPhrase(431));
        assertEquals("HTTP Version Not Supported", HttpUtil.reasonPhrase(505));
        assertEquals("Unknown", HttpUtil.reasonPhrase(435));
        assertEquals("Unknown", HttpUtil.reasonPhrase(682));
    }

    @Test
    void splitsHostAndPort() {
        assertEquals(new HttpUtil.HostAndPort("example.com", OptionalInt.of(8080)),
                HttpUtil.splitHostAndPort("example.com:8080"));
        assertEquals(new HttpUtil.HostAndPort("example.com", OptionalInt.empty()),
                HttpUtil.splitHostAndPort("example.com"));
        assertEquals(new HttpUtil.HostAndPort("[::1]", OptionalInt.of(80)), HttpUtil.splitHostAndPort("[::1]:80"));
        assertEquals(new HttpUtil.HostAndPort("[::1]", OptionalInt.empty()), HttpUtil.splitHostAndPort("[::1]"));
        assertEquals(new HttpUtil.HostAndPort("::1", OptionalInt.empty()), HttpUtil.splitHostAndPort("::1"));
        assertEquals(new HttpUtil.HostAndPort("a:99999", OptionalInt.empty()), HttpUtil.splitHostAndPort("a:99999"));
        assertEquals(new HttpUtil.HostAndPort("a:", OptionalInt.empty()), HttpUtil.splitHostAndPort("a:"));
        assertEquals(new HttpUtil.HostAndPort(":80", OptionalInt.empty()), HttpUtil.splitHostAndPort(":80"));
        assertEquals(new HttpUtil.HostAndPort("a", OptionalInt.of(0)), HttpUtil.splitHostAndPort("a:0"));
    }

    private static Map<String, List<String>> ordered(Object... pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) pairs[i + 1];
            map.put((String) pairs[i], values);
        }
        return map;
    }
}
