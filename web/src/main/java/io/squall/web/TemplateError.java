package io.squall.web;

/**
 * A template could not be found, compiled or rendered. Its message names the template and, where the
 * engine knows it, the line: {@code Template error in page.html line 12: ...}. Raised from
 * {@link RequestHandler#render} and {@link RequestHandler#renderString}; left uncaught in a handler, it is a
 * 500 whose log line carries that message (and the page carries it only when tracebacks are served).
 */
public final class TemplateError extends RuntimeException {
    private final String templateName;
    private final int line;

    /**
     * @param templateName the template's name
     * @param line the line in it (1-based), or 0 if unknown
     * @param detail what went wrong
     * @param cause the engine's exception
     */
    public TemplateError(String templateName, int line, String detail, Throwable cause) {
        super("Template error in " + templateName + (line > 0 ? " line " + line : "") + ": " + detail, cause);
        this.templateName = templateName;
        this.line = line;
    }

    static TemplateError of(String name, io.pebbletemplates.pebble.error.PebbleException e) {
        String file = e.getFileName() != null ? e.getFileName() : name;
        int line = e.getLineNumber() != null ? e.getLineNumber() : 0;
        String detail = e.getPebbleMessage() != null ? e.getPebbleMessage() : String.valueOf(e.getMessage());
        return new TemplateError(file, line, detail, e);
    }

    /** The template's name. */
    public String templateName() {
        return templateName;
    }

    /** The line in the template (1-based), or 0 if unknown. */
    public int line() {
        return line;
    }
}
