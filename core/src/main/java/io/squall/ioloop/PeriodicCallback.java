package io.squall.ioloop;

import io.squall.concurrent.Future;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a function every period on a loop (Tornado's {@code PeriodicCallback}).
 *
 * <p>The period runs from the start of one call to the start of the next. A call that overruns skips
 * the cycles it missed, so calls stay on the original schedule; a clock that went backwards never makes
 * the schedule repeat. With jitter {@code j}, each period is multiplied by a random factor in
 * {@code [1 - j/2, 1 + j/2]}. A callback that returns a {@link Future} (a coroutine) is never overlapped:
 * the next call is scheduled when that future completes.
 *
 * <p>Create, start and stop it on the loop (or while the loop is not running; asserted).
 */
public final class PeriodicCallback {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicCallback.class);

    private final IOLoop loop;
    private final Supplier<? extends Future<?>> callback;
    private final long periodNanos;
    private final double jitter;
    private boolean running;
    private long nextDeadline;
    private Timeout timeout;

    /** Calls {@code callback} every {@code period} on {@link IOLoop#current()}, without jitter. */
    public PeriodicCallback(Runnable callback, Duration period) {
        this(IOLoop.current(), asAsync(callback), period, 0.0);
    }

    /**
     * Calls {@code callback} every {@code period} on {@code loop}. The callback returns a future (for
     * example a spawned coroutine) or null; while its future is pending no new call starts.
     *
     * @param jitter 0 for none, otherwise the fraction by which each period varies at random
     */
    public PeriodicCallback(IOLoop loop, Supplier<? extends Future<?>> callback, Duration period, double jitter) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.callback = Objects.requireNonNull(callback, "callback");
        this.periodNanos = period.toNanos();
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
        this.jitter = jitter;
    }

    private static Supplier<Future<?>> asAsync(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        return () -> {
            callback.run();
            return null;
        };
    }

    /** Starts calling: the first call is one period from now. */
    public void start() {
        assert loop.inLoopOrNotRunning() : loop.offLoop("PeriodicCallback.start");
        running = true;
        nextDeadline = loop.time();
        scheduleNext();
    }

    /** Stops calling; a call in progress finishes. */
    public void stop() {
        assert loop.inLoopOrNotRunning() : loop.offLoop("PeriodicCallback.stop");
        running = false;
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }

    /** Whether the callback is scheduled. */
    public boolean isRunning() {
        return running;
    }

    private void runOnce() {
        if (!running) {
            return;
        }
        Future<?> pending = null;
        try {
            pending = callback.get();
        } catch (Throwable t) {
            LOG.error("Exception in callback {}", callback, t);
        }
        if (pending == null || pending.isDone()) {
            logFailure(pending);
            scheduleNext();
        } else {
            loop.addFuture(pending, f -> {
                logFailure(f);
                scheduleNext();
            });
        }
    }

    private void logFailure(Future<?> f) {
        if (f != null && f.isFailed()) {
            LOG.error("Exception in callback {}", callback, f.exception());
        }
    }

    private void scheduleNext() {
        if (!running) {
            return;
        }
        long period = jitter == 0 ? periodNanos
                : jitteredPeriod(periodNanos, jitter, ThreadLocalRandom.current().nextDouble());
        nextDeadline = nextDeadline(nextDeadline, loop.time(), period);
        timeout = loop.callAt(nextDeadline, this::runOnce);
    }

    /**
     * Tornado's jitter rule: {@code period * (1 + jitter * (random - 0.5))}, for {@code random} in
     * {@code [0, 1)}, so within {@code [1 - jitter/2, 1 + jitter/2]} periods.
     */
    static long jitteredPeriod(long period, double jitter, double random) {
        return (long) (period * (1 + jitter * (random - 0.5)));
    }

    /**
     * Tornado's schedule rule: the deadline after {@code previous}, given the time {@code now} at which
     * the last call ended. Missed cycles are skipped; if the clock went backwards, advance one period.
     */
    static long nextDeadline(long previous, long now, long period) {
        if (previous <= now) {
            return previous + ((now - previous) / period + 1) * period;
        }
        return previous + period;
    }
}
