package io.squall.gen;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Cancelling a coroutine's future delivers a CancellationException at its await. */
class CancellationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void cancellingASuspendedCoroutineRaisesInsideItAndRunsFinally() {
        try (IOLoop loop = new IOLoop()) {
            List<String> events = loop.runSync(() -> {
                List<String> seen = new ArrayList<>();
                Future<String> started = new Future<>();
                Future<String> coroutine = spawn(() -> {
                    try {
                        started.setResult("started");
                        await(new Future<String>()); // never completes
                        seen.add("await returned");
                        return "not cancelled";
                    } catch (CancellationException e) {
                        seen.add("cancelled at await");
                        throw e;
                    } finally {
                        seen.add("finally");
                    }
                });
                await(started);
                assertTrue(coroutine.cancel());
                assertThrows(CancellationException.class, () -> await(coroutine));
                assertTrue(coroutine.isCancelled());
                assertTrue(coroutine.isDone());
                return seen;
            }, TIMEOUT);
            assertEquals(List.of("cancelled at await", "finally"), events);
        }
    }

    @Test
    void cancellingBeforeTheCoroutineStartsNeverRunsItsBody() {
        try (IOLoop loop = new IOLoop()) {
            boolean[] ran = new boolean[1];
            loop.runSync(() -> {
                Future<Void> coroutine = spawn(() -> { ran[0] = true; });
                assertTrue(coroutine.cancel());
                assertThrows(CancellationException.class, () -> await(coroutine));
                assertTrue(coroutine.isCancelled());
                return null;
            }, TIMEOUT);
            assertFalse(ran[0]);
        }
    }

    /**
     * Spawns a coroutine that sleeps 30 s and returns "slept", or what {@code onCancel} returns if the
     * sleep is cancelled; waits until it sleeps, cancels it, and returns it.
     */
    private static Future<String> cancelWhileSleeping(Callable<String> onCancel) {
        Future<Void> started = new Future<>();
        Future<String> coroutine = spawn(() -> {
            try {
                started.setResult(null);
                await(sleep(Duration.ofSeconds(30)));
                return "slept";
            } catch (CancellationException e) {
                return onCancel.call();
            }
        });
        await(started);
        assertTrue(coroutine.cancel());
        return coroutine;
    }

    @Test
    void coroutineThatCatchesTheCancellationCompletesWithItsValue() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                Future<String> coroutine = cancelWhileSleeping(() -> "caught");
                assertEquals("caught", await(coroutine));
                assertFalse(coroutine.isCancelled());
                return null;
            }, TIMEOUT);
        }
    }

    /** A cancellation is delivered once: after catching it, the coroutine can await again (e.g. to clean up). */
    @Test
    void coroutineCanAwaitAgainAfterCatchingTheCancellation() {
        try (IOLoop loop = new IOLoop()) {
            String result = loop.runSync(() -> await(cancelWhileSleeping(() -> {
                await(sleep(Duration.ofMillis(1)));
                await(moment());
                return "cleaned up";
            })), TIMEOUT);
            assertEquals("cleaned up", result);
        }
    }

    @Test
    void aCoroutineCanBeCancelledAgainAfterCatchingOnce() {
        try (IOLoop loop = new IOLoop()) {
            int catches = loop.runSync(() -> {
                int[] caught = new int[1];
                Future<Void> waiting = new Future<>();
                Future<Void> coroutine = spawn(() -> {
                    for (;;) {
                        try {
                            waiting.trySetResult(null);
                            await(new Future<Void>());
                        } catch (CancellationException e) {
                            if (++caught[0] == 2) {
                                throw e;
                            }
                        }
                    }
                });
                await(waiting);
                coroutine.cancel();
                await(moment());
                await(moment());
                assertFalse(coroutine.isDone(), "still running after the first cancellation");
                coroutine.cancel();
                assertThrows(CancellationException.class, () -> await(coroutine));
                return caught[0];
            }, TIMEOUT);
            assertEquals(2, catches);
        }
    }

    @Test
    void cancellingAFinishedCoroutineReturnsFalse() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                Future<String> coroutine = spawn(() -> "done");
                assertEquals("done", await(coroutine));
                assertFalse(coroutine.cancel());
                assertEquals("done", coroutine.result());
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void cancellingFromAnotherThreadWorks() {
        try (IOLoop loop = new IOLoop()) {
            boolean cancelled = loop.runSync(() -> {
                Future<Void> started = new Future<>();
                Future<Void> coroutine = spawn(() -> {
                    started.setResult(null);
                    await(new Future<Void>());
                });
                await(started);
                Thread.ofPlatform().start(coroutine::cancel);
                assertThrows(CancellationException.class, () -> await(coroutine));
                return coroutine.isCancelled();
            }, TIMEOUT);
            assertTrue(cancelled);
        }
    }

    /** Cancelling the future a coroutine awaits (not the coroutine) raises CancellationException at the await. */
    @Test
    void cancellingTheAwaitedFutureRaisesAtTheAwait() {
        try (IOLoop loop = new IOLoop()) {
            String outcome = loop.runSync(() -> {
                Future<String> inner = new Future<>();
                Future<String> coroutine = spawn(() -> {
                    try {
                        return await(inner);
                    } catch (CancellationException e) {
                        return "inner cancelled";
                    }
                });
                await(moment());
                inner.cancel();
                return await(coroutine);
            }, TIMEOUT);
            assertEquals("inner cancelled", outcome);
        }
    }

    @Test
    void cancellingAnOuterCoroutineCancelsTheInnerOneItAwaits() {
        try (IOLoop loop = new IOLoop()) {
            List<String> events = loop.runSync(() -> {
                List<String> seen = new ArrayList<>();
                Future<Void> innerStarted = new Future<>();
                Future<Void> outer = spawn(() -> {
                    try {
                        await(spawn(() -> {
                            try {
                                innerStarted.setResult(null);
                                await(new Future<Void>()); // never completes
                            } finally {
                                seen.add("inner finally");
                            }
                        }));
                    } finally {
                        seen.add("outer finally");
                    }
                });
                await(innerStarted);
                await(moment()); // the outer coroutine is now suspended on the inner one
                assertTrue(outer.cancel());
                assertThrows(CancellationException.class, () -> await(outer));
                assertTrue(outer.isCancelled());
                return seen;
            }, TIMEOUT);
            assertEquals(List.of("inner finally", "outer finally"), events, "the inner coroutine unwinds first");
        }
    }

    @Test
    void anInnerCoroutineThatAbsorbsTheCancellationLetsTheOuterOneGoOn() {
        try (IOLoop loop = new IOLoop()) {
            String result = loop.runSync(() -> {
                Future<Void> innerStarted = new Future<>();
                Future<String> outer = spawn(() -> await(spawn(() -> {
                    try {
                        innerStarted.setResult(null);
                        await(new Future<Void>());
                        return "not cancelled";
                    } catch (CancellationException e) {
                        return "absorbed";
                    }
                })));
                await(innerStarted);
                await(moment());
                assertTrue(outer.cancel());
                return await(outer);
            }, TIMEOUT);
            assertEquals("absorbed", result, "as asyncio: the cancellation went to the awaited task");
        }
    }
}
