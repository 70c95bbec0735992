package io.squall.web;

import io.squall.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Escaping for HTML and URLs, as Tornado's {@code escape} module does it.
 */
public final class Escape {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Escape() {}

    /**
     * Escapes {@code &}, {@code <}, {@code >}, {@code "} and {@code '} so that {@code text} can be put in
     * HTML text or a quoted attribute (Tornado's {@code xhtml_escape}).
     */
    public static String xhtmlEscape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Percent-encodes the UTF-8 bytes of {@code value} (Tornado's {@code url_escape}). Letters, digits and
     * {@code _.-~} stay as they are. With {@code plus} (for a query string) a space becomes {@code +} and
     * {@code /} is encoded; without it (for a path segment) a space becomes {@code %20} and {@code /} stays.
     */
    public static String urlEscape(String value, boolean plus) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "_.-~".indexOf(c) >= 0 || c == '/' && !plus)) {
                out.append((char) c);
            } else if (c == ' ' && plus) {
                out.append('+');
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * Appends {@code arguments} to the query string of {@code url}, keeping the arguments it already has
     * (Tornado's {@code url_concat}): {@code urlConcat("/a?x=1#top", {y: [2]})} is {@code /a?x=1&y=2#top}.
     * The whole query is re-encoded as a form ({@code +} for spaces).
     */
    public static String urlConcat(String url, Map<String, ? extends List<String>> arguments) {
        Objects.requireNonNull(url, "url");
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String rest = hash < 0 ? url : url.substring(0, hash);
        int question = rest.indexOf('?');
        String base = question < 0 ? rest : rest.substring(0, question);
        List<String> pairs = new ArrayList<>();
        if (question >= 0) {
            HttpUtil.parseQueryString(rest.substring(question + 1)).forEach((name, values) -> addPairs(pairs, name, values));
        }
        arguments.forEach((name, values) -> addPairs(pairs, name, values));
        return pairs.isEmpty() ? base + fragment : base + '?' + String.join("&", pairs) + fragment;
    }

    private static void addPairs(List<String> pairs, String name, List<String> values) {
        for (String value : values) {
            pairs.add(urlEscape(name, true) + '=' + urlEscape(value, true));
        }
    }
}
