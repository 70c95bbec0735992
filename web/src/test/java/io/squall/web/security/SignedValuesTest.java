package io.squall.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signing, verifying, key rotation and every kind of refusal of {@link SignedValues}. */
class SignedValuesTest {
    static final String OLD = "an old secret of at least thirty-two bytes";
    static final String NEW = "a new secret, also at least thirty-two bytes";
    static final Duration DAY = Duration.ofDays(1);
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    static SignedValues at(Instant instant, Map<Integer, String> keys) {
        return SignedValues.of(keys, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void roundTripsAnyTextAndIsLegalInACookie() {
        SignedValues signer = SignedValues.of(OLD);
        for (String value : new String[] {"", "user-42", "Zoë | 1:2 | ;,\"\\ \u0000 \uD83D\uDE00"}) {
            String signed = signer.create("session", value);
            assertEquals(value, signer.decode("session", signed, DAY));
            assertTrue(signed.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ';' && c != ',' && c != '"'
                    && c != '\\' && c != '='), signed);
        }
    }

    @Test
    void theNewestKeySignsAndEveryKeyVerifies() {
        SignedValues before = at(NOW, Map.of(1, OLD));
        SignedValues after = at(NOW, Map.of(1, OLD, 2, NEW));
        String oldCookie = before.create("s", "v");
        assertEquals(2, after.signingVersion());
        assertEquals("v", after.decode("s", oldCookie, DAY), "a cookie signed before the rotation stays valid");
        String newCookie = after.create("s", "v");
        assertTrue(newCookie.startsWith("2|1:2|"), newCookie);
        assertNull(before.decode("s", newCookie, DAY), "a signer without version 2 cannot verify it");
        SignedValues retired = at(NOW, Map.of(2, NEW));
        assertNull(retired.decode("s", oldCookie, DAY), "once the old key is dropped, its cookies are refused");
        assertEquals("v", retired.decode("s", newCookie, DAY));
    }

    @Test
    void aValueSignedForOneNameIsRefusedForAnother() {
        SignedValues signer = SignedValues.of(OLD);
        assertNull(signer.decode("admin", signer.create("user", "alice"), DAY));
    }

    @Test
    void expiredAndFutureDatedValuesAreRefused() {
        Map<Integer, String> keys = Map.of(0, OLD);
        SignedValues now = at(NOW, keys);
        assertNull(now.decode("s", at(NOW.minus(DAY).minusSeconds(1), keys).create("s", "v"), DAY));
        assertEquals("v", now.decode("s", at(NOW.minus(DAY).plusSeconds(1), keys).create("s", "v"), DAY));
        assertNull(now.decode("s", at(NOW.plus(SignedValues.CLOCK_SKEW).plusSeconds(1), keys).create("s", "v"), DAY));
        assertEquals("v", now.decode("s", at(NOW.plusSeconds(60), keys).create("s", "v"), DAY),
                "a minute of clock skew is tolerated");
    }

    @Test
    void everyChangedCharacterIsRefused() {
        SignedValues signer = SignedValues.of(OLD);
        String signed = signer.create("session", "alice");
        for (int i = 0; i < signed.length(); i++) {
            for (char c : new char[] {'0', '9', 'a', 'Z', '|', ':', '-', '_'}) {
                if (signed.charAt(i) != c) {
                    String tampered = signed.substring(0, i) + c + signed.substring(i + 1);
                    assertNull(signer.decode("session", tampered, DAY), tampered);
                }
            }
        }
    }

    @Test
    void randomAndTruncatedInputIsRefusedWithoutAnException() {
        SignedValues signer = SignedValues.of(OLD);
        String signed = signer.create("session", "alice");
        Random random = new Random(7);
        String alphabet = "0123456789|:abcdefXYZ-_=";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder s = new StringBuilder();
            if (random.nextBoolean()) {
                s.append(signed, 0, random.nextInt(signed.length()));
            }
            int extra = random.nextInt(40);
            for (int j = 0; j < extra; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = s.toString();
            if (!input.equals(signed)) {
                assertNull(signer.decode("session", input, DAY), input);
            }
        }
        assertNull(signer.decode("session", null, DAY));
        assertNull(signer.decode("session", "2|99999999999:", DAY));
        assertNull(signer.decode("session", "2|1:0|99999999999999:1|", DAY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short", "thirty-one bytes, one too few.."})
    void aShortSecretIsRefused(String secret) {
        assertThrows(IllegalArgumentException.class, () -> SignedValues.of(secret));
    }

    @Test
    void signaturesDifferPerKey() {
        assertNotEquals(at(NOW, Map.of(0, OLD)).create("s", "v"), at(NOW, Map.of(0, NEW)).create("s", "v"));
        assertThrows(IllegalArgumentException.class, () -> SignedValues.of(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SignedValues.of(Map.of(-1, OLD)));
    }
}
