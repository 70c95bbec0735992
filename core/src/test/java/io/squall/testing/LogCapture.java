package io.squall.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger (and its children) logs while a test runs, with a logback
 * {@link ListAppender}, at DEBUG and above, and keeps it off the console. Close it to detach.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of(IOLoop.class)) {
 *     ...
 *     assertEquals(1, log.count(Level.ERROR, "Exception in callback"));
 * }
 * try (LogCapture logs = LogCapture.start()) {   // every io.squall logger
 *     ...
 *     assertEquals(List.of(), logs.atLeast(Level.WARN));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final boolean wasAdditive;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        this.previousLevel = logger.getLevel();
        this.wasAdditive = logger.isAdditive();
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
    }

    /** Starts capturing every {@code io.squall} logger. */
    public static LogCapture start() {
        return of("io.squall");
    }

    /** Starts capturing the logger named after {@code type}. */
    public static LogCapture of(Class<?> type) {
        return of(type.getName());
    }

    /** Starts capturing the logger {@code name}. */
    public static LogCapture of(String name) {
        return new LogCapture((Logger) LoggerFactory.getLogger(name));
    }

    /** A snapshot of the events captured so far, in order. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // AppenderBase.doAppend holds this monitor while appending
            return List.copyOf(appender.list);
        }
    }

    /** The captured events at {@code level} whose formatted message contains {@code text}. */
    public List<ILoggingEvent> matching(Level level, String text) {
        return events().stream()
                .filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(text))
                .toList();
    }

    /** How many captured events are at {@code level} with a message containing {@code text}. */
    public int count(Level level, String text) {
        return matching(level, text).size();
    }

    /** The events captured so far at {@code level} or above, as "LEVEL message" lines. */
    public List<String> atLeast(Level level) {
        return events().stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(LogCapture::line)
                .toList();
    }

    /** The events captured so far that carry a stack trace, as "LEVEL message" lines. */
    public List<String> withStackTraces() {
        return events().stream().filter(e -> e.getThrowableProxy() != null).map(LogCapture::line).toList();
    }

    /** The message of the exception attached to {@code event}, or null if it has none. */
    public static String thrownMessage(ILoggingEvent event) {
        IThrowableProxy proxy = event.getThrowableProxy();
        return proxy == null ? null : proxy.getMessage();
    }

    private static String line(ILoggingEvent e) {
        return e.getLevel() + " " + e.getFormattedMessage();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(wasAdditive);
        appender.stop();
    }
}
