package io.squall.web;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An application's templates, rendered by Pebble (Jinja-like syntax close to Tornado's: {@code {{ }}},
 * {@code {% extends %}}, {@code {% block %}}, {@code {% include %}}), HTML-escaped by default.
 *
 * <p>Templates come from a directory ({@link Application.Builder#templatePath(Path)}) or from the class path
 * ({@link Application.Builder#templateResources(String)}); compiled templates are cached unless the
 * application is in {@linkplain Application.Builder#debug debug mode}, where an edited file shows on the
 * next request. Every template sees the variables {@code handler}, {@code request}, {@code currentUser}
 * and {@code settings}, and the functions {@code xsrfFormHtml()} and {@code staticUrl(path)}.
 */
final class Templates {
    /** The variable through which the functions reach the handler that renders. */
    static final String HANDLER = "handler";

    private final PebbleEngine engine;

    private Templates(Loader<?> loader, boolean cache) {
        this.engine = new PebbleEngine.Builder()
                .loader(loader)
                .cacheActive(cache)
                .autoEscaping(true)
                .strictVariables(false)
                .extension(new HandlerFunctions())
                .build();
    }

    /** Templates read from files under {@code directory}. */
    static Templates fromDirectory(Path directory, boolean cache) {
        FileLoader loader = new FileLoader();
        loader.setPrefix(directory.toAbsolutePath().toString());
        return new Templates(loader, cache);
    }

    /** Templates read from class-path resources under {@code prefix} (e.g. {@code templates}). */
    static Templates fromClasspath(String prefix, ClassLoader classLoader, boolean cache) {
        ClasspathLoader loader = new ClasspathLoader(classLoader);
        loader.setPrefix(prefix);
        return new Templates(loader, cache);
    }

    /**
     * Renders the template {@code name} with {@code context}.
     *
     * @throws TemplateError if the template cannot be found, compiled or rendered
     */
    String render(String name, Map<String, Object> context) {
        PebbleTemplate template;
        try {
            template = engine.getTemplate(name);
        } catch (PebbleException e) {
            throw TemplateError.of(name, e);
        }
        return evaluate(name, template, context);
    }

    private static String evaluate(String name, PebbleTemplate template, Map<String, Object> context) {
        StringWriter out = new StringWriter();
        try {
            template.evaluate(out, context);
        } catch (PebbleException e) {
            throw TemplateError.of(name, e);
        } catch (RuntimeException e) { // a filter or method that failed without telling the engine where
            throw new TemplateError(name, 0, e.toString(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** The functions every template has; they act on the handler that renders. */
    private static final class HandlerFunctions extends AbstractExtension {
        @Override
        public Map<String, Function> getFunctions() {
            return Map.of(
                    "xsrfFormHtml", new HandlerFunction(List.of(), (handler, args) ->
                            new SafeString(handler.xsrfFormHtml())),
                    "staticUrl", new HandlerFunction(List.of("path"), (handler, args) ->
                            handler.staticUrl(String.valueOf(args.get("path")))));
        }
    }

    /** A template function computed from the rendering handler and the call's arguments. */
    private record HandlerFunction(List<String> argumentNames, Body body) implements Function {
        @FunctionalInterface
        interface Body {
            Object apply(RequestHandler handler, Map<String, Object> args);
        }

        @Override
        public List<String> getArgumentNames() {
            return argumentNames;
        }

        @Override
        public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
            if (!(context.getVariable(HANDLER) instanceof RequestHandler handler)) {
                throw new PebbleException(null, "template functions need the rendering handler", lineNumber,
                        self.getName());
            }
            return body.apply(handler, args);
        }
    }
}
