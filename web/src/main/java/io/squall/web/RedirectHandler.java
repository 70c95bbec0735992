package io.squall.web;

import java.util.List;
import java.util.Map;

/**
 * Redirects GET requests to a URL (Tornado's {@code RedirectHandler}). The URL may refer to the route's
 * groups as {@code {0}}, {@code {1}}... (positional) or {@code {name}} (named), Python {@code str.format}
 * style (doubled braces are literal braces); the request's query arguments are appended to it.
 *
 * <pre>{@code
 * .route("/pictures/(.*)", () -> new RedirectHandler("/photos/{0}"))
 * }</pre>
 */
public class RedirectHandler extends RequestHandler {
    private final String url;
    private final boolean permanent;

    /** A permanent (301) redirect to {@code url}. */
    public RedirectHandler(String url) {
        this(url, true);
    }

    /** A redirect to {@code url}: 301 if {@code permanent}, else 302. */
    public RedirectHandler(String url, boolean permanent) {
        this.url = url;
        this.permanent = permanent;
    }

    /** Redirects to the URL, with the groups substituted and the query arguments appended. */
    @Override
    protected void get() {
        String target = format(url, pathArgs(), pathKwargs());
        Map<String, List<String>> query = request().queryArguments();
        if (!query.isEmpty()) {
            target = Escape.urlConcat(target, query);
        }
        redirect(target, permanent);
    }

    /** Python's {@code template.format(*args, **kwargs)} for plain {@code {index}} and {@code {name}} fields. */
    static String format(String template, List<String> args, Map<String, String> kwargs) {
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < template.length() && template.charAt(i + 1) == c) {
                out.append(c);
                i += 2;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unmatched '{' in redirect URL " + template);
                }
                out.append(field(template.substring(i + 1, close), args, kwargs, template));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String field(String key, List<String> args, Map<String, String> kwargs, String template) {
        if (!key.isEmpty() && key.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(key);
            if (index >= args.size()) {
                throw new IllegalArgumentException("redirect URL " + template + " refers to group {" + key
                        + "} but the route captured " + args.size());
            }
            return String.valueOf(args.get(index));
        }
        if (!kwargs.containsKey(key)) {
            throw new IllegalArgumentException("redirect URL " + template + " refers to {" + key
                    + "} but the route has no such named group");
        }
        return String.valueOf(kwargs.get(key));
    }
}
