package io.squall.web.security;

/**
 * Which redirect targets taken from a request are safe to follow: a guard against open redirects through
 * a {@code next} argument.
 *
 * <p>Safe means a path on this site: it starts with a single {@code /} (not {@code //}, which browsers
 * read as another host, nor {@code /\}, which some read the same way), has no backslash, no control
 * character and no space. Anything else (an absolute URL, a scheme such as {@code javascript:}, a relative
 * path) is not.
 */
public final class SafeRedirects {
    private SafeRedirects() {}

    /** Whether {@code target} is a path on this site (see the class documentation). */
    public static boolean isLocalPath(String target) {
        if (target == null || target.isEmpty() || target.charAt(0) != '/') {
            return false;
        }
        if (target.length() > 1 && (target.charAt(1) == '/' || target.charAt(1) == '\\')) {
            return false;
        }
        return target.chars().noneMatch(c -> c <= 0x20 || c == 0x7F || c == '\\');
    }

    /** {@code target} if it {@linkplain #isLocalPath is a local path}, otherwise {@code fallback}. */
    public static String localPathOr(String target, String fallback) {
        return isLocalPath(target) ? target : fallback;
    }
}
