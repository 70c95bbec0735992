package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.squall.concurrent.Future;
import io.squall.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** addCallback: waking the loop, FIFO order, fairness, and errors in callbacks (ioloop_test items 1, 2, 10). */
class CallbacksTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long GENEROUS_NANOS = Duration.ofSeconds(1).toNanos();

    /** Item 1: a callback added by a running loop runs in the same pass, not at the next timer. */
    @Test
    void callbackAddedOnTheLoopRunsAtOnce() {
        try (IOLoop loop = new IOLoop()) {
            long latency = loop.runSync(() -> {
                loop.callLater(Duration.ofMinutes(1), () -> {}); // an idle loop would sleep until then
                Future<Long> result = new Future<>();
                loop.callAt(loop.time(), () -> {
                    long added = loop.time();
                    loop.addCallback(() -> result.setResult(loop.time() - added));
                });
                return await(result);
            }, TIMEOUT);
            assertTrue(latency < GENEROUS_NANOS, "latency " + latency + " ns");
        }
    }

    /** Item 2: addCallback from another thread wakes a loop that sleeps in select(). */
    @Test
    void callbackFromAnotherThreadWakesASleepingLoop() {
        try (IOLoop loop = new IOLoop()) {
            boolean[] sawSleeping = new boolean[1];
            long latency = loop.runSync(() -> {
                Future<Long> result = new Future<>();
                Thread.ofPlatform().name("callbacks-test-waker").start(() -> {
                    long giveUp = System.nanoTime() + TIMEOUT.toNanos() / 2;
                    while (!loop.isSelecting() && System.nanoTime() < giveUp) {
                        Thread.yield();
                    }
                    sawSleeping[0] = loop.isSelecting();
                    long added = loop.time();
                    loop.addCallback(() -> result.setResult(loop.time() - added));
                });
                return await(result);
            }, TIMEOUT);
            assertTrue(sawSleeping[0], "the loop was asleep in select() when the callback was added");
            assertTrue(latency < GENEROUS_NANOS, "latency " + latency + " ns");
        }
    }

    @Test
    void callbacksRunInFifoOrder() {
        try (IOLoop loop = new IOLoop()) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = i;
                loop.addCallback(() -> order.add(n));
            }
            loop.addCallback(loop::stop);
            loop.start();
            assertEquals(IntStream.range(0, 1000).boxed().toList(), order);
        }
    }

    @Test
    void callbacksFromAnotherThreadRunInFifoOrder() {
        try (IOLoop loop = new IOLoop()) {
            List<Integer> order = loop.runSync(() -> {
                List<Integer> seen = new ArrayList<>();
                Future<Void> last = new Future<>();
                Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        int n = i;
                        loop.addCallback(() -> seen.add(n));
                    }
                    loop.addCallback(() -> last.setResult(null));
                });
                await(last);
                return seen;
            }, TIMEOUT);
            assertEquals(IntStream.range(0, 10_000).boxed().toList(), order);
        }
    }

    /** A callback that keeps re-adding itself runs once per iteration: timers still fire. */
    @Test
    void selfReschedulingCallbackDoesNotStarveTimers() {
        try (IOLoop loop = new IOLoop()) {
            int cap = 5_000_000;
            int spins = loop.runSync(() -> {
                int[] count = new int[1];
                boolean[] done = new boolean[1];
                Runnable[] again = new Runnable[1];
                again[0] = () -> {
                    if (!done[0] && ++count[0] < cap) {
                        loop.addCallback(again[0]);
                    }
                };
                loop.addCallback(again[0]);
                await(sleep(Duration.ofMillis(20)));
                done[0] = true;
                return count[0];
            }, TIMEOUT);
            assertTrue(spins > 0 && spins < cap, "the timer fired while the callback kept re-adding itself: " + spins);
        }
    }

    /** Item 10: an exception in a callback is logged with its stack and the loop goes on. */
    @Test
    void exceptionInACallbackIsLoggedAndTheLoopGoesOn() {
        try (LogCapture log = LogCapture.of(IOLoop.class); IOLoop loop = new IOLoop()) {
            String after = loop.runSync(() -> {
                Future<String> next = new Future<>();
                loop.addCallback(() -> { throw new IllegalStateException("boom in callback"); });
                loop.addCallback(() -> next.setResult("next callback ran"));
                return await(next);
            }, TIMEOUT);
            assertEquals("next callback ran", after);
            assertLoggedOnce(log, "boom in callback");
        }
    }

    @Test
    void exceptionInATimerIsLoggedAndTheLoopGoesOn() {
        try (LogCapture log = LogCapture.of(IOLoop.class); IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                loop.callLater(Duration.ZERO, () -> { throw new IllegalStateException("boom in timer"); });
                await(sleep(Duration.ofMillis(5)));
                return null;
            }, TIMEOUT);
            assertLoggedOnce(log, "boom in timer");
        }
    }

    @Test
    void failureOfASpawnedCallbackIsLoggedBeforeAndAfterItsFirstAwait() {
        try (LogCapture log = LogCapture.of(IOLoop.class); IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                loop.spawnCallback(() -> { throw new IllegalStateException("boom before await"); });
                loop.spawnCallback(() -> {
                    await(sleep(Duration.ofMillis(1)));
                    throw new IllegalStateException("boom after await");
                });
                await(sleep(Duration.ofMillis(20)));
                return null;
            }, TIMEOUT);
            assertLoggedOnce(log, "boom before await");
            assertLoggedOnce(log, "boom after await");
        }
    }

    @Test
    void failedCoroutineDoesNotStopOtherCoroutines() {
        try (IOLoop loop = new IOLoop()) {
            String result = loop.runSync(() -> {
                Future<Void> failing = spawn(() -> { throw new IllegalStateException("one coroutine fails"); });
                Future<String> other = spawn(() -> {
                    await(sleep(Duration.ofMillis(5)));
                    return "other finished";
                });
                assertThrows(IllegalStateException.class, () -> await(failing));
                return await(other);
            }, TIMEOUT);
            assertEquals("other finished", result);
        }
    }

    private static void assertLoggedOnce(LogCapture log, String thrownMessage) {
        List<ILoggingEvent> events = log.matching(Level.ERROR, "Exception in callback").stream()
                .filter(e -> thrownMessage.equals(LogCapture.thrownMessage(e)))
                .toList();
        assertEquals(1, events.size(), () -> "logged: " + log.events());
    }
}
