package io.squall.web;

import io.squall.httpserver.HttpServerConnectionDelegate;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A routing rule: a path pattern, the handler that serves the paths it matches, and an optional name for
 * {@link Application#reverseUrl} (Tornado's {@code URLSpec}).
 *
 * <p>A pattern is either a path template or a regex. A <b>template</b> names its variable segments in
 * braces: {@code /todos/{id}} (a segment of anything but {@code /}), or {@code /todos/{id:\d+}} with the
 * regex the variable must match (use non-capturing groups in it); everything outside the braces is literal.
 * Its variables are named path arguments ({@link RequestHandler#pathArgument(String, Class)}). A brace
 * opens a variable when a letter follows it; other patterns are regexes.
 *
 * <p>A <b>regex</b> pattern is a {@link Pattern} matched against the whole path (Tornado appends an implicit
 * {@code $}; a leading {@code ^} is allowed). Its capturing groups are the handler's path arguments,
 * percent-decoded: all positional ({@code /user/([0-9]+)}, see {@link RequestHandler#pathArgs()}) or all
 * named ({@code /user/(?<id>[0-9]+)}, see {@link RequestHandler#pathKwargs()}), never mixed. Patterns match
 * the path as sent, still percent-encoded.
 *
 * <p>A route may also hand its requests to a nested {@link Application} or another
 * {@link HttpServerConnectionDelegate}: see {@link #to}.
 *
 * <p>Handlers are made per request by a factory: {@code UserHandler::new}, or
 * {@code () -> new RedirectHandler("/new", true)} to give it arguments (what Tornado passes to
 * {@code initialize(**kwargs)}), or a handler class with a no-argument constructor.
 */
public final class Route {
    private final Pattern pattern;
    private final Supplier<? extends RequestHandler> factory;
    private final HttpServerConnectionDelegate delegate;
    private final String name;
    private final List<String> namedGroups;
    private final int groupCount;
    /** The literal text around each group, for {@link #reverse}; null if the pattern is not reversible. */
    private final List<String> literals;

    private Route(String pattern, Supplier<? extends RequestHandler> factory, String name) {
        this(pattern, Objects.requireNonNull(factory, "factory"), null, name);
    }

    private Route(String pattern, Supplier<? extends RequestHandler> factory, HttpServerConnectionDelegate delegate,
            String name) {
        Objects.requireNonNull(pattern, "pattern");
        PathTemplate template = PathTemplate.parse(pattern);
        this.pattern = Pattern.compile(template != null ? template.regex() : pattern);
        this.factory = factory;
        this.delegate = delegate;
        this.name = name;
        this.groupCount = this.pattern.matcher("").groupCount();
        Map<String, Integer> named = this.pattern.namedGroups();
        if (!named.isEmpty() && named.size() != groupCount) {
            throw new IllegalArgumentException(
                    "the groups of a URL pattern must be all named or all positional: " + pattern);
        }
        this.namedGroups = named.entrySet().stream()
                .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .map(Map.Entry::getKey)
                .toList();
        this.literals = template != null ? template.literals() : reversalLiterals(pattern, groupCount);
    }

    /** A route to handlers made by {@code factory}. */
    public static Route of(String pattern, Supplier<? extends RequestHandler> factory) {
        return new Route(pattern, factory, null);
    }

    /** A named route to handlers made by {@code factory}. */
    public static Route of(String pattern, Supplier<? extends RequestHandler> factory, String name) {
        return new Route(pattern, factory, Objects.requireNonNull(name, "name"));
    }

    /**
     * A route to handlers of class {@code type}, made with its no-argument constructor.
     *
     * @throws IllegalArgumentException if {@code type} is abstract or has no such constructor
     */
    public static Route of(String pattern, Class<? extends RequestHandler> type) {
        return new Route(pattern, constructorOf(type), null);
    }

    /** A named route to handlers of class {@code type}; see {@link #of(String, Class)}. */
    public static Route of(String pattern, Class<? extends RequestHandler> type, String name) {
        return new Route(pattern, constructorOf(type), Objects.requireNonNull(name, "name"));
    }

    /**
     * A route whose requests go to {@code delegate} instead of a handler (Tornado's {@code RuleRouter}
     * targets): a nested {@link Application}, which routes them again on their whole path with its own
     * routes, filters and settings, or any {@link HttpServerConnectionDelegate}, which gets the request
     * stream itself (head, body pieces, end). The delegate's {@code onClose} is not called: the connection
     * belongs to the outer application.
     */
    public static Route to(String pattern, HttpServerConnectionDelegate delegate) {
        return new Route(pattern, null, Objects.requireNonNull(delegate, "delegate"), null);
    }

    /** The factory calling the no-argument constructor of {@code type}. */
    static Supplier<RequestHandler> constructorOf(Class<? extends RequestHandler> type) {
        Objects.requireNonNull(type, "type");
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("handler class " + type.getName() + " is abstract");
        }
        Constructor<? extends RequestHandler> constructor;
        try {
            constructor = type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("handler class " + type.getName()
                    + " has no constructor without arguments; route to a factory such as () -> new Handler(...)", e);
        }
        constructor.trySetAccessible();
        return () -> {
            try {
                return constructor.newInstance();
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + type.getName(), e);
            }
        };
    }

    /** The path pattern (for a template, the regex it stands for). */
    public Pattern pattern() {
        return pattern;
    }

    /** The name, or null. */
    public String name() {
        return name;
    }

    /** The factory of handlers; null for a route {@linkplain #to to a delegate}. */
    public Supplier<? extends RequestHandler> factory() {
        return factory;
    }

    /** The delegate that gets the requests of a route {@linkplain #to to a delegate}; null for a handler route. */
    public HttpServerConnectionDelegate delegate() {
        return delegate;
    }

    /**
     * The path this route matches for {@code args}, each converted with {@link String#valueOf} and
     * percent-encoded ({@link Escape#urlEscape} without plus): {@code /user/([0-9]+)} reverses 42 to
     * {@code /user/42} (Tornado's {@code URLSpec.reverse}).
     *
     * @throws IllegalStateException if the pattern is not reversible: groups inside groups,
     *     non-capturing groups, or escapes such as {@code \d} outside the groups
     * @throws IllegalArgumentException if the number of arguments is not the number of groups
     */
    public String reverse(Object... args) {
        if (literals == null) {
            throw new IllegalStateException("Cannot reverse url regex " + pattern.pattern());
        }
        if (args.length != groupCount) {
            throw new IllegalArgumentException("route " + pattern.pattern() + " needs " + groupCount
                    + " arguments, not " + args.length);
        }
        StringBuilder path = new StringBuilder(literals.getFirst());
        for (int i = 0; i < args.length; i++) {
            path.append(Escape.urlEscape(String.valueOf(args[i]), false)).append(literals.get(i + 1));
        }
        return path.toString();
    }

    /** The raw (still percent-encoded) groups of {@code path} if the route matches it; null otherwise. */
    PathMatch match(String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return null;
        }
        if (groupCount == 0) {
            return PathMatch.NONE;
        }
        if (!namedGroups.isEmpty()) {
            Map<String, String> kwargs = new LinkedHashMap<>();
            for (String group : namedGroups) {
                kwargs.put(group, m.group(group));
            }
            return new PathMatch(List.of(), kwargs);
        }
        List<String> args = new ArrayList<>(groupCount);
        for (int i = 1; i <= groupCount; i++) {
            args.add(m.group(i));
        }
        return new PathMatch(args, Map.of());
    }

    /**
     * The groups a route captured from a path, still percent-encoded; a group that did not participate
     * is null.
     */
    record PathMatch(List<String> args, Map<String, String> kwargs) {
        /** No groups at all. */
        static final PathMatch NONE = new PathMatch(List.of(), Map.of());

        PathMatch {
            args = Collections.unmodifiableList(args);
            kwargs = Collections.unmodifiableMap(kwargs);
        }
    }

    /**
     * Tornado's {@code _find_groups}: the literal text before, between and after the groups, with regex
     * escapes removed; null if the pattern is more than literals and top-level groups.
     */
    private static List<String> reversalLiterals(String pattern, int groupCount) {
        String p = pattern.startsWith("^") ? pattern.substring(1) : pattern;
        p = p.endsWith("$") ? p.substring(0, p.length() - 1) : p;
        if (p.chars().filter(c -> c == '(').count() != groupCount) {
            return null;
        }
        List<String> literals = new ArrayList<>(groupCount + 1);
        StringBuilder current = new StringBuilder();
        for (String fragment : p.split("\\(", -1)) {
            int close = fragment.indexOf(')');
            String literal = unescape(close < 0 ? fragment : fragment.substring(close + 1));
            if (literal == null) {
                return null;
            }
            if (close >= 0) {
                literals.add(current.toString());
                current.setLength(0);
            }
            current.append(literal);
        }
        literals.add(current.toString());
        return literals.size() == groupCount + 1 ? List.copyOf(literals) : null;
    }

    /** Removes the backslash of escaped punctuation; null if an escape is a class such as {@code \d}. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                if (Character.isLetterOrDigit(next)) {
                    return null;
                }
                out.append(next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Route[" + pattern.pattern() + (name == null ? "" : ", name=" + name) + "]";
    }
}
