package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.squall.gen.CoroutineMode;
import io.squall.gen.Coroutines;
import io.squall.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The blocked-loop watchdog (Tornado's set_blocking_log_threshold). */
class WatchdogTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration THRESHOLD = Duration.ofMillis(100);
    private static final Duration SPIN = Duration.ofMillis(500);

    /** The watchdog's warnings about {@code loop}. */
    private static List<ILoggingEvent> reports(LogCapture log, IOLoop loop) {
        return log.matching(Level.WARN, loop + " blocked for ");
    }

    /**
     * Busy-spins (never sleeps) for {@link #SPIN}, and past it until the watchdog has reported, so that
     * a loaded machine cannot make the watchdog miss the spin; gives up after {@link #TIMEOUT}.
     */
    private static void spin(LogCapture log, IOLoop loop) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < SPIN.toNanos()
                || reports(log, loop).isEmpty() && System.nanoTime() - start < TIMEOUT.toNanos()) {
            Thread.onSpinWait();
        }
    }

    private static void spinningCallback(LogCapture log, IOLoop loop) {
        spin(log, loop);
    }

    private static void spinningCoroutineStep(LogCapture log, IOLoop loop) {
        spin(log, loop);
    }

    @Test
    void busyCallbackIsReportedOnceWithItsStack() {
        try (LogCapture log = LogCapture.of(BlockedLoopWatchdog.class); IOLoop loop = new IOLoop()) {
            loop.setBlockingLogThreshold(THRESHOLD);
            loop.addCallback(() -> {
                spinningCallback(log, loop);
                loop.stop();
            });
            loop.start();
            List<ILoggingEvent> reports = reports(log, loop);
            assertEquals(1, reports.size(), () -> "reports: " + log.events());
            String message = reports.getFirst().getFormattedMessage();
            assertTrue(message.contains("loop thread stack"), message);
            assertTrue(message.contains("spinningCallback"), message);
        }
    }

    @Test
    void busyCoroutineStepIsReportedWithTheCoroutineStack() {
        try (LogCapture log = LogCapture.of(BlockedLoopWatchdog.class); IOLoop loop = new IOLoop()) {
            loop.setBlockingLogThreshold(THRESHOLD);
            loop.runSync(() -> {
                await(sleep(Duration.ofMillis(1)));
                spinningCoroutineStep(log, loop);
                return null;
            }, TIMEOUT);
            List<ILoggingEvent> reports = reports(log, loop);
            assertEquals(1, reports.size(), () -> "reports: " + log.events());
            String message = reports.getFirst().getFormattedMessage();
            assertTrue(message.contains("loop thread stack"), message);
            // In both modes the loop runs a coroutine step as its current callback: in LOOP_CARRIER the
            // coroutine is mounted on the loop thread, in HAND_OFF the loop thread waits for the baton.
            assertTrue(message.contains("running coroutine"), Coroutines.mode() + ": " + message);
            assertTrue(message.contains("spinningCoroutineStep"), Coroutines.mode() + ": " + message);
            if (Coroutines.mode() == CoroutineMode.HAND_OFF) {
                String loopStack = message.substring(0, message.indexOf("running coroutine"));
                assertTrue(loopStack.contains("io.squall.gen.HandOffCoroutine.run"), "the loop waits in the hand-off: " + message);
            }
        }
    }

    @Test
    void aLoopWaitingForEventsIsNotReported() {
        try (LogCapture log = LogCapture.of(BlockedLoopWatchdog.class); IOLoop loop = new IOLoop()) {
            loop.setBlockingLogThreshold(THRESHOLD);
            loop.runSync(() -> await(sleep(THRESHOLD.multipliedBy(4))), TIMEOUT);
            assertEquals(List.of(), reports(log, loop));
        }
    }

    @Test
    void zeroThresholdTurnsTheWatchdogOff() {
        try (LogCapture log = LogCapture.of(BlockedLoopWatchdog.class); IOLoop loop = new IOLoop()) {
            loop.setBlockingLogThreshold(Duration.ZERO);
            loop.addCallback(() -> {
                long start = System.nanoTime();
                while (System.nanoTime() - start < THRESHOLD.multipliedBy(3).toNanos()) {
                    Thread.onSpinWait();
                }
                loop.stop();
            });
            loop.start();
            assertEquals(List.of(), reports(log, loop));
        }
    }
}
