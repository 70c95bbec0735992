package io.squall.testing;

import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;

/**
 * Expects a log message while it is open, like Tornado's {@code ExpectLog}: the matching events (at
 * {@code level}, message containing {@code text}, from the logger or its children) are swallowed, so
 * they neither reach the console nor fail a {@link SquallTest}'s check for unexpected ERRORs; the other
 * events pass on unchanged. Closing it fails the test if nothing matched, unless {@link #optional}.
 *
 * <pre>{@code
 * try (ExpectLog expect = ExpectLog.of("io.squall.web.access", Level.WARN, "404 GET")) {
 *     assertEquals(404, server.fetch("/missing").statusCode());
 * }
 * }</pre>
 */
public final class ExpectLog implements AutoCloseable {
    private final String logger;
    private final Level level;
    private final String text;
    private final boolean required;
    private final LogCapture capture;

    private ExpectLog(String logger, Level level, String text, boolean required) {
        this.logger = logger;
        this.level = level;
        this.text = text;
        this.required = required;
        this.capture = LogCapture.keeping(logger,
                event -> event.getLevel() == level && event.getFormattedMessage().contains(text));
    }

    /** Expects logger {@code logger} (or a child) to log {@code text} at {@code level} before this closes. */
    public static ExpectLog of(String logger, Level level, String text) {
        return new ExpectLog(logger, level, text, true);
    }

    /** Like {@link #of(String, Level, String)}, for the logger named after {@code logger}. */
    public static ExpectLog of(Class<?> logger, Level level, String text) {
        return of(logger.getName(), level, text);
    }

    /** Swallows such messages if they come, without requiring one (Tornado's {@code required=False}). */
    public static ExpectLog optional(String logger, Level level, String text) {
        return new ExpectLog(logger, level, text, false);
    }

    /** How many messages matched so far. */
    public int matched() {
        return capture.events().size();
    }

    /** Stops swallowing; fails if the message was required and never logged. */
    @Override
    public void close() {
        capture.close();
        if (required && matched() == 0) {
            fail("expected " + logger + " to log \"" + text + "\" at " + level + ", it did not");
        }
    }
}
