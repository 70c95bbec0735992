package io.squall.web.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A header value with parameters, {@code value *( OWS ";" OWS name "=" ( token / quoted-string ) )}, as in
 * {@code Content-Type} and {@code Content-Disposition}, parsed in one pass over its characters: however
 * many semicolons and quotes it holds, the work is linear in its length (Tornado's quadratic
 * {@code _parseparam} was CVE-2025-67726).
 *
 * <p>In a quoted string, {@code \"} and {@code \\} stand for {@code "} and {@code \}; any other backslash is
 * kept as it is, since browsers do not escape the backslashes of Windows paths (WHATWG's multipart encoding
 * percent-encodes {@code "}, CR and LF instead, which is left encoded here, as Tornado does).
 *
 * @param value the value before the first {@code ;}, lower-cased
 * @param parameters the parameters by lower-case name, unquoted
 */
record HeaderParameters(String value, Map<String, String> parameters) {
    /**
     * Parses {@code header}.
     *
     * @throws MultipartException (400) for a parameter without {@code =}, an unterminated quoted string,
     *     or a repeated parameter name
     */
    static HeaderParameters parse(String header) throws MultipartException {
        int n = header.length();
        int i = header.indexOf(';');
        if (i < 0) {
            i = n;
        }
        String value = header.substring(0, i).strip().toLowerCase(Locale.ROOT);
        Map<String, String> parameters = new LinkedHashMap<>();
        while (i < n) {
            i = skipSpaces(header, i + 1); // past ';'
            if (i >= n) {
                break;
            }
            if (header.charAt(i) == ';') {
                continue; // an empty parameter: ";;"
            }
            int nameStart = i;
            while (i < n && header.charAt(i) != '=' && header.charAt(i) != ';') {
                i++;
            }
            if (i >= n || header.charAt(i) != '=') {
                throw MultipartException.malformed("parameter without a value in a part header");
            }
            String name = header.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
            i = skipSpaces(header, i + 1);
            StringBuilder parameter = new StringBuilder();
            if (i < n && header.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = header.charAt(i++);
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\' && i < n && (header.charAt(i) == '"' || header.charAt(i) == '\\')) {
                        c = header.charAt(i++);
                    }
                    parameter.append(c);
                }
                if (!closed) {
                    throw MultipartException.malformed("unterminated quoted string in a part header");
                }
                while (i < n && header.charAt(i) != ';') {
                    i++; // anything between the closing quote and the next ';' is dropped
                }
            } else {
                int start = i;
                while (i < n && header.charAt(i) != ';') {
                    i++;
                }
                parameter.append(header, start, i);
                int end = parameter.length();
                while (end > 0 && (parameter.charAt(end - 1) == ' ' || parameter.charAt(end - 1) == '\t')) {
                    end--;
                }
                parameter.setLength(end);
            }
            if (parameters.putIfAbsent(name, parameter.toString()) != null) {
                throw MultipartException.malformed("repeated parameter \"" + name + "\" in a part header");
            }
        }
        return new HeaderParameters(value, parameters);
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * Decodes an RFC 5987/8187 extended value, {@code charset "'" [language] "'" pct-encoded}: UTF-8 or
     * ISO-8859-1.
     *
     * @throws MultipartException (400) if it is not of that form, names another charset, or does not decode
     */
    static String decodeExtendedValue(String extended) throws MultipartException {
        int first = extended.indexOf('\'');
        int second = first < 0 ? -1 : extended.indexOf('\'', first + 1);
        if (second < 0) {
            throw MultipartException.malformed("extended parameter value without charset'language'");
        }
        String charsetName = extended.substring(0, first).toUpperCase(Locale.ROOT);
        Charset charset = switch (charsetName) {
            case "UTF-8" -> StandardCharsets.UTF_8;
            case "ISO-8859-1" -> StandardCharsets.ISO_8859_1;
            default -> throw MultipartException.malformed("extended parameter value in charset " + charsetName);
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = second + 1; i < extended.length(); i++) {
            char c = extended.charAt(i);
            if (c == '%') {
                int hi = i + 2 < extended.length() ? Character.digit(extended.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(extended.charAt(i + 2), 16);
                if (lo < 0) {
                    throw MultipartException.malformed("bad percent-encoding in an extended parameter value");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x7E || c <= 0x20) {
                throw MultipartException.malformed("character outside attr-char in an extended parameter value");
            } else {
                bytes.write(c);
            }
        }
        return decode(bytes.toByteArray(), charset, "extended parameter value");
    }

    /** {@code bytes} decoded strictly. */
    static String decode(byte[] bytes, Charset charset, String what) throws MultipartException {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw MultipartException.malformed("invalid " + charset.name() + " in " + what);
        }
    }
}
