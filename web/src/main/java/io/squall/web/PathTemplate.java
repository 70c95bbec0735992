package io.squall.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path template such as {@code /todos/{id}} or {@code /todos/{id:\d+}/tags/{tag}} (see {@link Route}),
 * as the regex it stands for: literal text quoted, each variable a named group of its regex
 * ({@code [^/]+} by default), plus the literal text around the variables for {@link Route#reverse}.
 *
 * @param regex the regex of the whole template
 * @param literals the literal text before, between and after the variables
 */
record PathTemplate(String regex, List<String> literals) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final String DEFAULT_REGEX = "[^/]+";

    /**
     * The template {@code pattern} stands for, or null if it is a regex (no brace followed by a letter).
     *
     * @throws IllegalArgumentException if a variable is malformed: unclosed, a name that is not letters and
     *     digits (starting with a letter), or a name used twice
     */
    static PathTemplate parse(String pattern) {
        if (!isTemplate(pattern)) {
            return null;
        }
        StringBuilder regex = new StringBuilder();
        List<String> literals = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int literalStart = 0;
        int i = 0;
        while (i < pattern.length()) {
            if (pattern.charAt(i) != '{') {
                i++;
                continue;
            }
            String literal = pattern.substring(literalStart, i);
            literals.add(literal);
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal));
            }
            int close = matchingBrace(pattern, i);
            String variable = pattern.substring(i + 1, close);
            int colon = variable.indexOf(':');
            String name = colon < 0 ? variable : variable.substring(0, colon);
            String variableRegex = colon < 0 ? DEFAULT_REGEX : variable.substring(colon + 1);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("path template variable names are letters and digits, starting"
                        + " with a letter: \"" + name + "\" in " + pattern);
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("path template variable " + name + " appears twice in " + pattern);
            }
            names.add(name);
            regex.append("(?<").append(name).append('>').append(variableRegex).append(')');
            i = close + 1;
            literalStart = i;
        }
        String last = pattern.substring(literalStart);
        literals.add(last);
        if (!last.isEmpty()) {
            regex.append(Pattern.quote(last));
        }
        return new PathTemplate(regex.toString(), List.copyOf(literals));
    }

    /** Whether some brace of {@code pattern} is followed by a letter (a regex quantifier starts with a digit). */
    private static boolean isTemplate(String pattern) {
        for (int i = pattern.indexOf('{'); i >= 0 && i + 1 < pattern.length(); i = pattern.indexOf('{', i + 1)) {
            boolean escaped = i > 0 && pattern.charAt(i - 1) == '\\';
            if (!escaped && Character.isLetter(pattern.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    /** The index of the brace closing the one at {@code open} (braces of a regex inside nest). */
    private static int matchingBrace(String pattern, int open) {
        int depth = 0;
        for (int i = open; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed { in path template " + pattern);
    }
}
