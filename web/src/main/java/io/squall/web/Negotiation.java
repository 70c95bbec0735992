package io.squall.web;

import java.util.Locale;

/**
 * Content negotiation on request headers with quality values (RFC 9110 §12.4–12.5.3): how much a client
 * wants a media type ({@code Accept}) or a content coding ({@code Accept-Encoding}). A malformed quality
 * counts as 0 for that element, so that a garbled header never enables something.
 */
final class Negotiation {
    private Negotiation() {}

    /**
     * The quality {@code accept} (an {@code Accept} header, null if absent) gives the media type
     * {@code type/subtype}: that of its most specific matching range ({@code type/subtype}, then
     * {@code type/*}, then {@code *}{@code /*}); 1 without a header; 0 if no range matches.
     */
    static double mediaTypeQuality(String accept, String mediaType) {
        if (accept == null) {
            return 1;
        }
        String wanted = mediaType.toLowerCase(Locale.ROOT);
        String wantedMajor = wanted.substring(0, wanted.indexOf('/') + 1) + "*";
        int bestSpecificity = -1;
        double quality = 0;
        for (String element : accept.split(",")) {
            int semicolon = element.indexOf(';');
            String range = (semicolon < 0 ? element : element.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
            int specificity = range.equals(wanted) ? 2 : range.equals(wantedMajor) ? 1 : range.equals("*/*") ? 0 : -1;
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                quality = quality(element);
            }
        }
        return quality;
    }

    /**
     * The quality {@code acceptEncoding} (an {@code Accept-Encoding} header, null if absent) gives the coding
     * {@code coding}: its own element's, else that of {@code *}, else 0.
     */
    static double codingQuality(String acceptEncoding, String coding) {
        if (acceptEncoding == null) {
            return 0;
        }
        double wildcard = 0;
        for (String element : acceptEncoding.split(",")) {
            int semicolon = element.indexOf(';');
            String name = (semicolon < 0 ? element : element.substring(0, semicolon)).strip();
            if (name.equalsIgnoreCase(coding)) {
                return quality(element);
            }
            if (name.equals("*")) {
                wildcard = quality(element);
            }
        }
        return wildcard;
    }

    /** The {@code q} parameter of one element of a list ({@code 0} to {@code 1}), 1 without one, 0 if malformed. */
    private static double quality(String element) {
        String[] parameters = element.split(";");
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].strip();
            if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                    && parameter.charAt(1) == '=') {
                String value = parameter.substring(2).strip();
                if (!value.matches("0(\\.\\d{0,3})?|1(\\.0{0,3})?")) {
                    return 0;
                }
                return Double.parseDouble(value);
            }
        }
        return 1;
    }
}
