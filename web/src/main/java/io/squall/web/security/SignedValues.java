package io.squall.web.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs and verifies values with HMAC-SHA256 (Tornado's {@code create_signed_value} and
 * {@code decode_signed_value}, format version 2): what signed cookies are made of.
 *
 * <p>A signed value is {@code 2|KEYVERSION|TIMESTAMP|NAME|VALUE|SIGNATURE}, where each of the four middle
 * fields is written {@code LENGTH:TEXT}, {@code VALUE} is the value's UTF-8 bytes in URL-safe Base64
 * without padding, and {@code SIGNATURE} is the lower-case hex HMAC-SHA256, under the key of
 * {@code KEYVERSION}, of everything before it (the last {@code |} included). The name is signed too, so a
 * value signed for one cookie is refused for another. Every character is legal in a cookie, so a signed
 * cookie is sent unquoted.
 *
 * <p><b>Key rotation.</b> Keys are numbered: the highest version signs, every version verifies. To rotate,
 * add a new version; drop an old one once no cookie it signed can still be alive.
 *
 * <p><b>Refusals.</b> {@link #decode} returns null, never throws, for a value that is malformed, signed by
 * an unknown key, tampered with, signed for another name, older than the maximum age, or dated more than
 * {@link #CLOCK_SKEW} in the future; the reason is logged at debug level to {@code io.squall.web.security}.
 *
 * <pre>{@code
 * SignedValues signer = SignedValues.of(Map.of(1, oldSecret, 2, newSecret));   // version 2 signs
 * String cookie = signer.create("session", "user-42");
 * String user = signer.decode("session", cookie, Duration.ofDays(31));        // "user-42", or null
 * }</pre>
 */
public final class SignedValues {
    /** How far in the future a timestamp may lie (clocks of the servers that share a key may differ). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Shortest secret accepted: 32 bytes, the size of the HMAC-SHA256 output. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Logger log = LoggerFactory.getLogger("io.squall.web.security");
    private static final String FORMAT_VERSION = "2";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int SIGNATURE_HEX_LENGTH = 64;

    private final NavigableMap<Integer, SecretKeySpec> keys;
    private final Clock clock;

    private SignedValues(NavigableMap<Integer, SecretKeySpec> keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A signer with one key (version 0). */
    public static SignedValues of(String secret) {
        return of(Map.of(0, secret));
    }

    /**
     * A signer with numbered keys: the highest version signs, all verify.
     *
     * @throws IllegalArgumentException if there is no key, a version is negative, or a secret is shorter than
     *     {@link #MIN_SECRET_BYTES} bytes of UTF-8
     */
    public static SignedValues of(Map<Integer, String> secrets) {
        return of(secrets, Clock.systemUTC());
    }

    /** {@link #of(Map)} with the clock that dates and checks signatures (for tests of expiry). */
    public static SignedValues of(Map<Integer, String> secrets, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a signer needs at least one secret");
        }
        NavigableMap<Integer, SecretKeySpec> keys = new TreeMap<>();
        secrets.forEach((version, secret) -> {
            if (version < 0) {
                throw new IllegalArgumentException("key versions are not negative: " + version);
            }
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the secret of key version " + version + " has " + bytes.length
                        + " bytes; a secret needs at least " + MIN_SECRET_BYTES + " (e.g. 32 random bytes in hex)");
            }
            keys.put(version, new SecretKeySpec(bytes, ALGORITHM));
        });
        return new SignedValues(keys, clock);
    }

    /** The key version that signs: the highest. */
    public int signingVersion() {
        return keys.lastKey();
    }

    /** {@code value} signed for {@code name} now, with the newest key. */
    public String create(String name, String value) {
        int version = keys.lastKey();
        StringBuilder out = new StringBuilder(FORMAT_VERSION).append('|');
        field(out, Integer.toString(version));
        field(out, Long.toString(clock.instant().getEpochSecond()));
        field(out, name);
        field(out, Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        return out.append(signature(keys.get(version), out)).toString();
    }

    /**
     * The value {@code signed} carries, if it is a valid signature for {@code name} made within {@code maxAge};
     * otherwise null (see the class documentation; never throws for bad input).
     */
    public String decode(String name, String signed, Duration maxAge) {
        if (signed == null) {
            return null;
        }
        Verdict verdict;
        try {
            verdict = check(name, signed, maxAge);
        } catch (RuntimeException malformed) { // a bad number, a length past the end, bad Base64
            verdict = refused("malformed (" + malformed.getMessage() + ")");
        }
        if (verdict.refusal() != null) {
            log.debug("signed value for {} refused: {}", name, verdict.refusal());
        }
        return verdict.value();
    }

    /** What {@link #check} found: the value, or why there is none. */
    private record Verdict(String value, String refusal) {}

    private static Verdict refused(String why) {
        return new Verdict(null, why);
    }

    private Verdict check(String name, String signed, Duration maxAge) {
        if (!signed.startsWith(FORMAT_VERSION + "|")) {
            return refused("not a version " + FORMAT_VERSION + " signed value");
        }
        int[] at = {FORMAT_VERSION.length() + 1};
        String keyVersion = readField(signed, at);
        String timestamp = readField(signed, at);
        String signedName = readField(signed, at);
        String value = readField(signed, at);
        String signature = signed.substring(at[0]);
        if (signature.length() != SIGNATURE_HEX_LENGTH) {
            return refused("signature of " + signature.length() + " characters");
        }
        if (!isDigits(keyVersion) || !isDigits(timestamp) || keyVersion.length() > 9 || timestamp.length() > 12) {
            return refused("key version or timestamp not a number");
        }
        SecretKeySpec key = keys.get(Integer.parseInt(keyVersion));
        if (key == null) {
            return refused("unknown key version " + keyVersion);
        }
        byte[] expected = signature(key, signed.subSequence(0, at[0])).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return refused("bad signature");
        }
        if (!signedName.equals(name)) {
            return refused("signed for another name");
        }
        long now = clock.instant().getEpochSecond();
        long time = Long.parseLong(timestamp);
        if (time < now - maxAge.toSeconds()) {
            return refused("expired (signed " + (now - time) + " s ago, maximum age " + maxAge.toSeconds() + " s)");
        }
        if (time > now + CLOCK_SKEW.toSeconds()) {
            return refused("dated " + (time - now) + " s in the future");
        }
        return new Verdict(new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8), null);
    }

    private static void field(StringBuilder out, String text) {
        out.append(text.length()).append(':').append(text).append('|');
    }

    /** Reads {@code LENGTH:TEXT|} at {@code at[0]}, advancing it. */
    private static String readField(String s, int[] at) {
        int colon = s.indexOf(':', at[0]);
        String length = s.substring(at[0], colon);
        if (!isDigits(length) || length.length() > 5) {
            throw new IllegalArgumentException("bad field length");
        }
        int start = colon + 1;
        int end = start + Integer.parseInt(length);
        if (s.charAt(end) != '|') {
            throw new IllegalArgumentException("field not followed by |");
        }
        at[0] = end + 1;
        return s.substring(start, end);
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String signature(SecretKeySpec key, CharSequence signedPart) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(signedPart.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
