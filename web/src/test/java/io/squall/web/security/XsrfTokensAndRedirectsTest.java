package io.squall.web.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link XsrfTokens} masking and {@link SafeRedirects}. */
class XsrfTokensAndRedirectsTest {
    @Test
    void eachMaskIsDifferentButCarriesTheSameToken() {
        byte[] token = XsrfTokens.newToken();
        String a = XsrfTokens.mask(token, 1);
        String b = XsrfTokens.mask(token, 2);
        assertNotEquals(a, b);
        assertArrayEquals(token, XsrfTokens.unmask(a));
        assertTrue(XsrfTokens.matches(a, b));
        assertFalse(XsrfTokens.matches(a, XsrfTokens.mask(XsrfTokens.newToken(), 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "2|||", "1|00000000|00000000000000000000000000000000|1",
            "2|0000000|00000000000000000000000000000000|1", "2|zzzzzzzz|00000000000000000000000000000000|1",
            "2|00000000|00000000000000000000000000000000|", "2|00000000|00000000000000000000000000000000|x",
            "2|00000000|000000000000000000000000000000000|1", "2|00000000|00000000000000000000000000000000|1|"})
    void malformedTokensMatchNothing(String malformed) {
        assertNull(XsrfTokens.unmask(malformed));
        assertFalse(XsrfTokens.matches(malformed, malformed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/me", "/me?tab=1&x=%2F%2F", "/a/b#c"})
    void localPathsAreSafe(String target) {
        assertTrue(SafeRedirects.isLocalPath(target));
        assertEquals(target, SafeRedirects.localPathOr(target, "/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "//evil.example", "//evil.example/me", "/\\evil.example", "/\\/evil.example",
            "https://evil.example/", "javascript:alert(1)", "me", "/ok\\..\\x", "/a b", "/a\tb", "/a\r\nLocation: x",
            "\u0000/"})
    void otherTargetsAreNot(String target) {
        assertFalse(SafeRedirects.isLocalPath(target), target);
        assertEquals("/", SafeRedirects.localPathOr(target, "/"));
    }
}
