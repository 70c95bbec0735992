package io.squall.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpHeadersTest {
    @Test
    void keepsEveryPairInArrivalOrderWithItsOriginalCase() {
        HttpHeaders headers = new HttpHeaders()
                .add("Set-Cookie", "a=1")
                .add("content-type", "text/plain")
                .add("SET-COOKIE", "b=2");

        assertEquals(List.of(Map.entry("Set-Cookie", "a=1"), Map.entry("content-type", "text/plain"),
                Map.entry("SET-COOKIE", "b=2")), headers.entries());
        List<String> seen = new ArrayList<>();
        headers.forEach((name, value) -> seen.add(name + "=" + value));
        assertEquals(List.of("Set-Cookie=a=1", "content-type=text/plain", "SET-COOKIE=b=2"), seen);
        assertEquals(3, headers.size());
        assertEquals(List.of("Set-Cookie", "content-type"), headers.names());
    }

    @Test
    void looksNamesUpIgnoringCase() {
        HttpHeaders headers = new HttpHeaders().add("X-Forwarded-For", "1.1.1.1").add("x-forwarded-for", "2.2.2.2");

        assertEquals("1.1.1.1", headers.get("X-FORWARDED-FOR"));
        assertEquals(List.of("1.1.1.1", "2.2.2.2"), headers.getAll("x-Forwarded-for"));
        assertEquals("1.1.1.1,2.2.2.2", headers.getJoined("X-Forwarded-For"));
        assertTrue(headers.contains("x-forwarded-FOR"));
        assertNull(headers.get("Host"));
        assertNull(headers.getJoined("Host"));
        assertEquals(List.of(), headers.getAll("Host"));
        assertFalse(headers.contains("Host"));
    }

    @Test
    void setReplacesEveryValueInPlaceOfTheFirstAndRemoveDropsThemAll() {
        HttpHeaders headers = new HttpHeaders().add("A", "1").add("B", "2").add("a", "3");

        headers.set("A", "4");
        assertEquals(List.of(Map.entry("A", "4"), Map.entry("B", "2")), headers.entries());
        headers.set("C", "5");
        assertEquals(List.of(Map.entry("A", "4"), Map.entry("B", "2"), Map.entry("C", "5")), headers.entries());
        headers.remove("C");

        assertTrue(headers.remove("b"));
        assertFalse(headers.remove("b"));
        assertEquals(List.of(Map.entry("A", "4")), headers.entries());
        assertEquals(List.of("A"), headers.names());
        assertEquals(1, headers.size());
    }

    @Test
    void entriesAndListsAreReadOnlyAndCopiesAreIndependent() {
        HttpHeaders headers = new HttpHeaders().add("A", "1");
        HttpHeaders copy = headers.copy();
        copy.add("A", "2");

        assertEquals(List.of("1"), headers.getAll("A"));
        assertEquals(List.of("1", "2"), copy.getAll("A"));
        assertThrows(UnsupportedOperationException.class, () -> headers.entries().clear());
        assertThrows(UnsupportedOperationException.class, () -> headers.getAll("A").clear());
        assertThrows(UnsupportedOperationException.class, () -> headers.names().clear());
    }

    @Test
    void keepsObsTextAsLatin1() {
        HttpHeaders headers = new HttpHeaders().add("X-City", "D\u00fcsseldorf \u00ff\t!");

        assertEquals("D\u00fcsseldorf \u00ff\t!", headers.get("x-city"));
    }

    @Test
    void findsTokensInCommaSeparatedLists() {
        HttpHeaders headers = new HttpHeaders().add("Connection", "keep-alive ,\tUpgrade").add("Connection", "x");

        assertTrue(headers.containsToken("connection", "upgrade"));
        assertTrue(headers.containsToken("Connection", "KEEP-ALIVE"));
        assertTrue(headers.containsToken("Connection", "x"));
        assertFalse(headers.containsToken("Connection", "close"));
        assertFalse(headers.containsToken("Connection", "keep"));
        assertFalse(headers.containsToken("Upgrade", "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "Colon:", "Caf\u00e9", "A\r\nB", "(x)", "a\"b"})
    void rejectsNamesThatAreNotTokens(String name) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new HttpHeaders().add(name, "v"));
        assertTrue(e.getMessage().contains("header name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nInjected: yes", "a\nb", "a\rb", "nul\0", "bell\u0007", "del\u007f", "x\u001f"})
    void rejectsControlCharactersInValues(String value) {
        HttpHeaders headers = new HttpHeaders();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> headers.add("X", value));
        assertTrue(e.getMessage().contains("control character"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> headers.set("X", value));
        assertEquals(0, headers.size());
    }

    @Test
    void rejectsCharactersOutsideLatin1() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HttpHeaders.validateValue("snow \u2603"));
        assertTrue(e.getMessage().contains("ISO-8859-1"), e.getMessage());
    }

    @Test
    void acceptsTabsSpacesAndEveryTokenCharacter() {
        HttpHeaders.validateName("!#$%&'*+-.^_`|~09azAZ");
        HttpHeaders.validateValue("\ta b\t\u0080\u00ff");
        HttpHeaders.validateValue("");
    }
}
