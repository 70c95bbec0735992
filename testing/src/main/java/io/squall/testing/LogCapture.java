package io.squall.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Predicate;
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
 *
 * <p>{@link ExpectLog} captures only the events it expects and passes the others on to the parent
 * loggers (an enclosing capture, the console) as if nothing were in the way.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final boolean wasAdditive;
    private final ListAppender<ILoggingEvent> appender;

    private LogCapture(Logger logger, Predicate<ILoggingEvent> kept) {
        this.logger = logger;
        this.previousLevel = logger.getLevel();
        this.wasAdditive = logger.isAdditive();
        Level passOnFrom = logger.getEffectiveLevel();
        Logger parent = wasAdditive ? parentOf(logger) : null;
        this.appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (kept.test(event)) {
                    super.append(event);
                } else if (parent != null && event.getLevel().isGreaterOrEqual(passOnFrom)) {
                    parent.callAppenders(event);
                }
            }
        };
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
        return new LogCapture((Logger) LoggerFactory.getLogger(name), event -> true);
    }

    /**
     * Starts capturing the events of logger {@code name} that {@code kept} accepts; the others go on to
     * the parent loggers (at the levels they were enabled at before).
     */
    static LogCapture keeping(String name, Predicate<ILoggingEvent> kept) {
        return new LogCapture((Logger) LoggerFactory.getLogger(name), kept);
    }

    private static Logger parentOf(Logger logger) {
        String name = logger.getName();
        if (name.equals(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
            return null;
        }
        int dot = name.lastIndexOf('.');
        return (Logger) LoggerFactory.getLogger(dot < 0 ? org.slf4j.Logger.ROOT_LOGGER_NAME : name.substring(0, dot));
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

    /**
     * The messages captured so far at ERROR, except from access loggers (names ending in {@code .access}:
     * their ERRORs are the 5xx responses, which tests check through the status instead).
     */
    public List<String> errorsExceptAccessLog() {
        return events().stream()
                .filter(e -> e.getLevel() == Level.ERROR && !e.getLoggerName().endsWith(".access"))
                .map(ILoggingEvent::getFormattedMessage)
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
