package io.squall.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Fuzz tests of what reads signed cookies and XSRF tokens from clients (Jazzer; regression inputs under
 * {@code src/test/resources/io/squall/web/security/SignedValuesFuzzTestInputs/}): whatever a client sends,
 * {@link SignedValues#decode} returns null, without an exception, unless it is exactly the one value this
 * signer signed; signing then decoding gives any value back; {@link XsrfTokens#unmask} returns null or a
 * whole token, and never throws.
 */
class SignedValuesFuzzTest {
    private static final SignedValues SIGNER = SignedValues.of(
            Map.of(1, "an old secret of at least thirty-two bytes", 2, "a new secret, also at least thirty-two bytes"),
            Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC));
    private static final String GENUINE = SIGNER.create("session", "alice");

    @FuzzTest(maxDuration = "60s")
    void decode(FuzzedDataProvider data) {
        String input = data.consumeRemainingAsString();
        String value = SIGNER.decode("session", input, Duration.ofDays(1));
        assertTrue(value == null || input.equals(GENUINE) && value.equals("alice"), "accepted " + input);
        byte[] token = XsrfTokens.unmask(input);
        assertTrue(token == null || token.length == XsrfTokens.TOKEN_BYTES && XsrfTokens.matches(input, input));
    }

    @FuzzTest(maxDuration = "60s")
    void roundTrip(FuzzedDataProvider data) {
        String name = data.consumeString(32);
        String value = data.consumeRemainingAsString();
        String expected = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(expected, SIGNER.decode(name, SIGNER.create(name, value), Duration.ofDays(1)));
    }
}
