package io.squall.web.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Masked anti-forgery tokens (Tornado's XSRF token, version 2).
 *
 * <p>A session's secret token is 16 random bytes kept in the {@code _xsrf} cookie. What a page embeds (and
 * the cookie holds) is a <em>masked</em> form {@code 2|MASK|MASKED|TIMESTAMP}: {@code MASK} is 4 fresh
 * random bytes, {@code MASKED} the token XORed with the mask repeated, both in hex. Each page thus carries a
 * different string for the same token, which defeats compression side channels such as BREACH. A request
 * passes when the token unmasked from its form field or header equals the one unmasked from its cookie.
 *
 * <pre>{@code
 * byte[] token = XsrfTokens.newToken();
 * String masked = XsrfTokens.mask(token, Instant.now().getEpochSecond());
 * boolean ok = XsrfTokens.matches(submitted, cookie);  // constant-time; false for anything malformed
 * }</pre>
 */
public final class XsrfTokens {
    /** Bytes of a secret token. */
    public static final int TOKEN_BYTES = 16;
    private static final int MASK_BYTES = 4;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private XsrfTokens() {}

    /** A new random secret token. */
    public static byte[] newToken() {
        byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return token;
    }

    /** {@code token} masked with fresh random bytes, dated {@code epochSecond}. */
    public static String mask(byte[] token, long epochSecond) {
        byte[] mask = new byte[MASK_BYTES];
        RANDOM.nextBytes(mask);
        return "2|" + HEX.formatHex(mask) + "|" + HEX.formatHex(xor(token, mask)) + "|" + epochSecond;
    }

    /** The secret token a masked string carries, or null if it is not one. */
    public static byte[] unmask(String masked) {
        if (masked == null) {
            return null;
        }
        String[] parts = masked.split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals("2") || parts[1].length() != 2 * MASK_BYTES
                || parts[2].length() != 2 * TOKEN_BYTES || parts[3].isEmpty() || parts[3].length() > 12
                || !parts[3].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        try {
            return xor(HEX.parseHex(parts[2]), HEX.parseHex(parts[1]));
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    /** Whether two masked strings carry the same token (compared in constant time); false if either is malformed. */
    public static boolean matches(String submitted, String cookie) {
        byte[] a = unmask(submitted);
        byte[] b = unmask(cookie);
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    private static byte[] xor(byte[] data, byte[] mask) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (byte) (data[i] ^ mask[i % mask.length]);
        }
        return out;
    }
}
