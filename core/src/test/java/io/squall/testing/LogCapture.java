package io.squall.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records what is logged while it is open, at every level of the {@code io.squall} loggers, so tests
 * can check that expected failures are not logged as warnings or errors.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *     ...
 *     assertEquals(List.of(), logs.atLeast(Level.WARN));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.squall");
    private final Level previousLevel = logger.getLevel();
    private final boolean previousAdditivity = logger.isAdditive();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false); // keep the debug lines out of the console
    }

    /** Starts recording. */
    public static LogCapture start() {
        return new LogCapture();
    }

    /** The events recorded so far at {@code level} or above, as "LEVEL message" lines. */
    public synchronized List<String> atLeast(Level level) {
        return List.copyOf(appender.list).stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    /** The events recorded so far that carry a stack trace, as "LEVEL message" lines. */
    public List<String> withStackTraces() {
        return List.copyOf(appender.list).stream()
                .filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getLevel() + " " + e.getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditivity);
        appender.stop();
    }
}
