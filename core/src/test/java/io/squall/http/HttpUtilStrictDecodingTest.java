package io.squall.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict decoding a web framework needs to answer malformed UTF-8 with 400, as Tornado does. */
class HttpUtilStrictDecodingTest {
    @Test
    void strictQueryParsingRefusesMalformedUtf8() {
        assertEquals(Map.of("a", List.of("é", "1 + 1")), HttpUtil.parseQueryString("a=%C3%A9&a=1+%2B+1", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpUtil.parseQueryString("a=%FF", true));
        assertTrue(e.getMessage().contains("%FF"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpUtil.parseQueryString("%C3=x", true));
        assertEquals(Map.of("a", List.of("\uFFFD")), HttpUtil.parseQueryString("a=%FF"));
        assertEquals(Map.of("a", List.of("\uFFFD")), HttpUtil.parseQueryString("a=%FF", false));
    }

    @Test
    void urlDecodeKeepsPlusUnlessAskedAndIsStrict() {
        assertEquals("1 + 1", HttpUtil.urlDecode("1%20+%201", false));
        assertEquals("1   1", HttpUtil.urlDecode("1%20+%201", true));
        assertEquals("a/b?é", HttpUtil.urlDecode("a%2Fb%3F%C3%A9", false));
        assertEquals("%zz", HttpUtil.urlDecode("%zz", false));
        assertThrows(IllegalArgumentException.class, () -> HttpUtil.urlDecode("invalid%FF", false));
    }

    @Test
    void bodyArgumentsComeOnlyFromForms() {
        byte[] body = "x=1&y=%C3%A9".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Map.of("x", List.of("1"), "y", List.of("é")),
                HttpUtil.parseBodyArguments("application/x-www-form-urlencoded; charset=UTF-8", body, true));
        assertEquals(Map.of(), HttpUtil.parseBodyArguments("application/json", body, true));
        assertEquals(Map.of(), HttpUtil.parseBodyArguments(null, body, true));
        assertThrows(IllegalArgumentException.class, () -> HttpUtil.parseBodyArguments(
                "application/x-www-form-urlencoded", "x=%C3".getBytes(StandardCharsets.ISO_8859_1), true));
    }
}
