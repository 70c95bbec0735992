package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import io.squall.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PeriodicCallback: Tornado's schedule rule, jitter, and real runs on a loop (ioloop_test item 15). */
class PeriodicCallbackTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long PERIOD = 10; // Tornado's tests use a 10 s period starting at t=1000

    /**
     * Tornado's simulate_calls: starting at t=1000 with a period of 10, each call lasts
     * {@code durations[i]} (negative: the clock jumped back); returns when each call starts.
     */
    private static List<Long> simulateCalls(long... durations) {
        List<Long> calls = new ArrayList<>();
        long now = 1000;
        long next = now;
        for (long d : durations) {
            next = PeriodicCallback.nextDeadline(next, now, PERIOD);
            calls.add(next);
            now = next + d;
        }
        return calls;
    }

    @Test
    void callsAreOnePeriodApart() {
        assertEquals(List.of(1010L, 1020L, 1030L, 1040L, 1050L), simulateCalls(0, 0, 0, 0, 0));
    }

    /** A call that overruns skips whole cycles, measured from the start of one call to the start of the next. */
    @Test
    void overrunningCallsSkipWholeCycles() {
        assertEquals(List.of(1010L, 1020L, 1030L, 1050L, 1070L, 1100L, 1130L, 1170L, 1210L, 1220L, 1230L),
                simulateCalls(9, 9, 10, 11, 20, 20, 35, 35, 0, 0, 0));
    }

    /** A clock that jumps backwards never makes the schedule repeat or stall. */
    @Test
    void backwardClockJumpsAreIgnored() {
        assertEquals(List.of(1010L, 1020L, 1030L, 1040L, 1050L), simulateCalls(-2, -1, -3, -2, 0));
        assertEquals(List.of(1010L, 1020L, 1030L), simulateCalls(-100, 0, 0));
    }

    /** Tornado's test_jitter: random draws 0.5, 1, 0, 0.75 with jitter 0.5 give 1010, 1022.5, 1030, 1041.25. */
    @Test
    void jitterScalesEachPeriod() {
        long scale = 1000; // in thousandths, so that 1022.5 is exact
        List<Long> calls = new ArrayList<>();
        long next = 1000 * scale;
        for (double draw : new double[] {0.5, 1, 0, 0.75}) {
            long now = next; // calls take no time
            next = PeriodicCallback.nextDeadline(next, now, PeriodicCallback.jitteredPeriod(PERIOD * scale, 0.5, draw));
            calls.add(next);
        }
        assertEquals(List.of(1_010_000L, 1_022_500L, 1_030_000L, 1_041_250L), calls);
    }

    @Test
    void jitteredPeriodsStayWithinHalfTheJitterEitherSide() {
        long period = 1_000_000_000L;
        for (double jitter : new double[] {0.1, 0.5, 1.0}) {
            long low = (long) (period * (1 - jitter / 2));
            long high = (long) (period * (1 + jitter / 2));
            assertEquals(low, PeriodicCallback.jitteredPeriod(period, jitter, 0.0));
            assertEquals(period, PeriodicCallback.jitteredPeriod(period, jitter, 0.5));
            for (int k = 0; k <= 1000; k++) {
                double random = k == 1000 ? Math.nextDown(1.0) : k / 1000.0; // spans [0, 1)
                long p = PeriodicCallback.jitteredPeriod(period, jitter, random);
                assertTrue(p >= low && p <= high, p + " outside [" + low + ", " + high + "]");
            }
        }
    }

    @Test
    void rejectsANonPositivePeriodOrJitterOutsideZeroToOne() {
        try (IOLoop loop = new IOLoop()) {
            assertThrows(IllegalArgumentException.class, () -> new PeriodicCallback(loop, () -> null, Duration.ZERO, 0));
            assertThrows(IllegalArgumentException.class,
                    () -> new PeriodicCallback(loop, () -> null, Duration.ofMillis(10), -0.1));
            assertThrows(IllegalArgumentException.class,
                    () -> new PeriodicCallback(loop, () -> null, Duration.ofMillis(10), 1.1));
        }
    }

    /** A real run: three calls at least a period apart each, then stop() ends the calls. */
    @Test
    void runsEveryPeriodUntilStopped() {
        Duration period = Duration.ofMillis(10);
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                List<Long> callTimes = new ArrayList<>();
                Future<Void> thirdCall = new Future<>();
                PeriodicCallback[] pc = new PeriodicCallback[1];
                pc[0] = new PeriodicCallback(() -> {
                    callTimes.add(loop.time());
                    if (callTimes.size() == 3) {
                        pc[0].stop();
                        thirdCall.setResult(null);
                    }
                }, period);
                long started = loop.time();
                pc[0].start();
                assertTrue(pc[0].isRunning());
                await(thirdCall);
                assertFalse(pc[0].isRunning());
                for (int k = 0; k < 3; k++) {
                    assertTrue(callTimes.get(k) - started >= (k + 1) * period.toNanos(),
                            "call " + k + " came early: " + callTimes);
                }
                await(sleep(period.multipliedBy(5)));
                assertEquals(3, callTimes.size(), "no call after stop()");
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void stopFromOutsideTheCallbackEndsTheCalls() {
        Duration period = Duration.ofMillis(5);
        try (IOLoop loop = new IOLoop()) {
            int calls = loop.runSync(() -> {
                int[] count = new int[1];
                Future<Void> twoCalls = new Future<>();
                PeriodicCallback pc = new PeriodicCallback(() -> {
                    if (++count[0] == 2) {
                        twoCalls.setResult(null);
                    }
                }, period);
                pc.start();
                await(twoCalls);
                pc.stop();
                int atStop = count[0];
                await(sleep(period.multipliedBy(5)));
                assertEquals(atStop, count[0]);
                return count[0];
            }, TIMEOUT);
            assertEquals(2, calls);
        }
    }

    /** With jitter the calls go on, and n calls take at least n * (1 - jitter/2) periods. */
    @Test
    void jitteredCallbackKeepsRunning() {
        Duration period = Duration.ofMillis(5);
        double jitter = 0.5;
        try (IOLoop loop = new IOLoop()) {
            long elapsed = loop.runSync(() -> {
                int[] count = new int[1];
                Future<Void> enough = new Future<>();
                PeriodicCallback pc = new PeriodicCallback(loop, () -> {
                    if (++count[0] == 10) {
                        enough.setResult(null);
                    }
                    return null;
                }, period, jitter);
                long started = loop.time();
                pc.start();
                await(enough);
                pc.stop();
                return loop.time() - started;
            }, TIMEOUT);
            assertTrue(elapsed >= (long) (10 * period.toNanos() * (1 - jitter / 2)), "elapsed " + elapsed);
        }
    }

    /** An async callback (one returning a coroutine's future) is never overlapped by the next call. */
    @Test
    void asyncCallbackIsNeverOverlapped() {
        Duration period = Duration.ofMillis(5);
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                int[] running = new int[1];
                int[] overlaps = new int[1];
                List<long[]> spans = new ArrayList<>();
                Future<Void> threeCalls = new Future<>();
                PeriodicCallback pc = new PeriodicCallback(loop, () -> spawn(() -> {
                    if (running[0]++ > 0) {
                        overlaps[0]++;
                    }
                    long start = loop.time();
                    await(sleep(period.multipliedBy(3))); // outlasts several periods
                    spans.add(new long[] {start, loop.time()});
                    running[0]--;
                    if (spans.size() == 3) {
                        threeCalls.trySetResult(null);
                    }
                }), period, 0);
                pc.start();
                await(threeCalls);
                pc.stop();
                assertEquals(0, overlaps[0]);
                for (int k = 1; k < spans.size(); k++) {
                    assertTrue(spans.get(k)[0] >= spans.get(k - 1)[1], "call " + k + " started before the previous ended");
                }
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void failingCallbackIsLoggedAndKeepsBeingCalled() {
        Duration period = Duration.ofMillis(5);
        try (LogCapture log = LogCapture.of(PeriodicCallback.class); IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                int[] count = new int[1];
                Future<Void> thirdCall = new Future<>();
                PeriodicCallback pc = new PeriodicCallback(() -> {
                    if (++count[0] == 3) {
                        thirdCall.setResult(null);
                    }
                    throw new IllegalStateException("periodic boom " + count[0]);
                }, period);
                pc.start();
                await(thirdCall);
                pc.stop();
                return null;
            }, TIMEOUT);
            assertEquals(3, log.count(Level.ERROR, "Exception in callback"));
            assertEquals("periodic boom 1", LogCapture.thrownMessage(log.events().get(0)));
        }
    }

    @Test
    void failingAsyncCallbackIsLoggedAndKeepsBeingCalled() {
        Duration period = Duration.ofMillis(5);
        try (LogCapture log = LogCapture.of(PeriodicCallback.class); IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                int[] count = new int[1];
                Future<Void> thirdCall = new Future<>();
                PeriodicCallback pc = new PeriodicCallback(loop, () -> spawn(() -> {
                    await(sleep(Duration.ofMillis(1)));
                    if (++count[0] == 3) {
                        thirdCall.setResult(null);
                    }
                    throw new IllegalStateException("async periodic boom");
                }), period, 0);
                pc.start();
                await(thirdCall);
                pc.stop();
                await(moment()); // the third failure is logged by a loop callback queued before this one
                await(moment());
                return null;
            }, TIMEOUT);
            assertEquals(3, log.count(Level.ERROR, "Exception in callback"));
        }
    }
}
