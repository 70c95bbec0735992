package io.squall.gen;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** spawn / await / sleep / moment and how coroutines share their loop (gen_test items 1, 5, 6, 7, 11, 12). */
class CoroutinesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The surefire executions run the suite once per mode; this checks each got the mode it asked for. */
    @Test
    void modeIsTheExpectedOne() {
        String expected = System.getProperty("squall.test.expectedMode");
        if (expected != null) {
            assertEquals(CoroutineMode.valueOf(expected), Coroutines.mode());
        }
    }

    // ------------------------------------------------------------------ results and exceptions

    @Test
    void suspendHookRunsJustBeforeEachSuspension() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                List<String> calls = new ArrayList<>();
                setSuspendHook(() -> calls.add("hook"));
                await(Future.completed("done"));
                assertEquals(List.of(), calls, "an await that does not suspend does not run the hook");
                await(moment());
                await(moment());
                assertEquals(List.of("hook", "hook"), calls);
                Future<String> ready = new Future<>();
                setSuspendHook(() -> ready.trySetResult("completed by the hook"));
                assertEquals("completed by the hook", await(ready));
                setSuspendHook(null);
                await(moment());
                assertEquals(List.of("hook", "hook"), calls);
                return null;
            }, TIMEOUT);
        }
        assertThrows(IllegalStateException.class, () -> setSuspendHook(() -> {}));
    }

    @Test
    void spawnResolvesWithTheBodysValue() {
        try (IOLoop loop = new IOLoop()) {
            assertEquals(List.of("no await", "after await"), loop.runSync(() -> {
                Future<String> plain = spawn(() -> "no await");
                Future<String> awaiting = spawn(() -> {
                    await(sleep(Duration.ofMillis(1)));
                    return "after await";
                });
                return List.of(await(plain), await(awaiting));
            }, TIMEOUT));
        }
    }

    @Test
    void doneCallbacksOfACoroutineRunAsLoopCode() {
        try (IOLoop loop = new IOLoop()) {
            List<Object> seen = loop.runSync(() -> {
                Future<List<Object>> observed = new Future<>();
                spawn(() -> await(sleep(Duration.ofMillis(1)))).addDoneCallback(f ->
                        observed.setResult(List.of(loop.inLoop(), IOLoop.current())));
                return await(observed);
            }, TIMEOUT);
            assertEquals(List.of(true, loop), seen);
        }
    }

    @Test
    void voidBodiesAndNullResultsGiveNull() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                boolean[] ran = new boolean[1];
                Future<Void> body = spawn(() -> { ran[0] = true; });
                assertNull(await(body));
                assertTrue(ran[0]);
                assertNull(await(spawn(() -> (String) null)));
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void aCompositeResultIsReturnedIntact() {
        List<Object> value = Arrays.asList(1, "two", null);
        try (IOLoop loop = new IOLoop()) {
            assertSame(value, loop.runSync(() -> await(spawn(() -> value)), TIMEOUT));
        }
    }

    private static Integer throwBeforeFirstAwait(List<RuntimeException> thrown) {
        RuntimeException e = new IllegalStateException("before the first await");
        thrown.add(e);
        throw e;
    }

    private static Integer throwAfterFirstAwait(List<RuntimeException> thrown) {
        await(sleep(Duration.ofMillis(1)));
        RuntimeException e = new IllegalStateException("after the first await");
        thrown.add(e);
        throw e;
    }

    /** gen_test item 1: the exception reaches the awaiter as raised, with its stack; spawn itself never throws. */
    @Test
    void exceptionBeforeTheFirstAwaitReachesTheAwaiter() {
        assertExceptionReachesAwaiter(CoroutinesTest::throwBeforeFirstAwait, "throwBeforeFirstAwait");
    }

    @Test
    void exceptionAfterTheFirstAwaitReachesTheAwaiter() {
        assertExceptionReachesAwaiter(CoroutinesTest::throwAfterFirstAwait, "throwAfterFirstAwait");
    }

    private interface Thrower {
        Integer run(List<RuntimeException> thrown) throws Exception;
    }

    private static void assertExceptionReachesAwaiter(Thrower body, String method) {
        List<RuntimeException> thrown = new ArrayList<>();
        try (IOLoop loop = new IOLoop()) {
            RuntimeException caught = loop.runSync(() -> {
                Future<Integer> f = spawn(() -> body.run(thrown)); // does not throw
                return assertThrows(IllegalStateException.class, () -> await(f));
            }, TIMEOUT);
            assertSame(thrown.getFirst(), caught);
            assertTrue(Arrays.stream(caught.getStackTrace()).anyMatch(e -> e.getMethodName().equals(method)),
                    () -> "stack of " + caught + ": " + Arrays.toString(caught.getStackTrace()));
        }
    }

    @Test
    void checkedExceptionReachesTheAwaiterWrapped() {
        IOException boom = new IOException("checked");
        try (IOLoop loop = new IOLoop()) {
            CompletionException caught = loop.runSync(() -> {
                Future<Void> f = spawn(() -> { throw boom; });
                return assertThrows(CompletionException.class, () -> await(f));
            }, TIMEOUT);
            assertSame(boom, caught.getCause());
        }
    }

    // ------------------------------------------------------------------ when coroutines switch

    private static Future<Void> appendFiveTimes(StringBuilder calls, char name, Supplier<Future<Void>> yieldable) {
        return spawn(() -> {
            for (int i = 0; i < 5; i++) {
                calls.append(name);
                await(yieldable.get());
            }
        });
    }

    private static String interleaving(Supplier<Future<Void>> forA, Supplier<Future<Void>> forB) {
        try (IOLoop loop = new IOLoop()) {
            return loop.runSync(() -> {
                StringBuilder calls = new StringBuilder();
                await(multi(List.of(appendFiveTimes(calls, 'a', forA), appendFiveTimes(calls, 'b', forB))));
                return calls.toString();
            }, TIMEOUT);
        }
    }

    /** gen_test item 6: awaiting a done future does not yield, so a coroutine keeps the loop. */
    @Test
    void awaitingADoneFutureDoesNotYield() {
        Future<Void> done = Future.completed(null);
        assertEquals("aaaaabbbbb", interleaving(() -> done, () -> done));
    }

    @Test
    void momentLetsCoroutinesTakeTurns() {
        assertEquals("ababababab", interleaving(Coroutines::moment, Coroutines::moment));
    }

    @Test
    void momentAgainstADoneFuture() {
        Future<Void> done = Future.completed(null);
        assertEquals("abbbbbaaaa", interleaving(Coroutines::moment, () -> done));
    }

    @Test
    void sleepLastsAtLeastItsDelay() {
        try (IOLoop loop = new IOLoop()) {
            long elapsed = loop.runSync(() -> {
                long start = loop.time();
                await(sleep(Duration.ofMillis(10)));
                await(sleep(Duration.ZERO));
                return loop.time() - start;
            }, TIMEOUT);
            assertTrue(elapsed >= Duration.ofMillis(10).toNanos(), "slept " + elapsed + " ns");
        }
    }

    // ------------------------------------------------------------------ where await may be called

    @Test
    void awaitOnTheLoopThreadOutsideACoroutineThrows() {
        try (IOLoop loop = new IOLoop()) {
            Throwable thrown = loop.runSync(() -> {
                Future<Throwable> outcome = new Future<>();
                loop.addCallback(() -> {
                    assertEquals("done", await(Future.completed("done")), "a done future is fine anywhere");
                    try {
                        await(new Future<String>());
                        outcome.setResult(null);
                    } catch (Throwable t) {
                        outcome.setResult(t);
                    }
                });
                return await(outcome);
            }, TIMEOUT);
            assertInstanceOf(IllegalStateException.class, thrown);
        }
    }

    /** On a thread that runs no loop, await blocks until the future is done. */
    @Test
    void awaitOnAForeignThreadBlocksUntilDone() throws Exception {
        try (IOLoop loop = new IOLoop()) {
            Thread loopThread = loop.startThread("coroutines-test-loop");
            try {
                Future<String> f = new Future<>();
                loop.addCallback(() -> loop.callLater(Duration.ofMillis(20), () -> f.setResult("from the loop")));
                assertEquals("from the loop", await(f));

                IllegalStateException boom = new IllegalStateException("failed on the loop");
                Future<String> failing = new Future<>();
                loop.addCallback(() -> loop.callLater(Duration.ofMillis(1), () -> failing.setException(boom)));
                assertSame(boom, assertThrows(IllegalStateException.class, () -> await(failing)));
            } finally {
                loop.stop();
                assertTrue(loopThread.join(TIMEOUT));
            }
        }
    }

    @Test
    void interruptingAForeignThreadAwaitRaisesCancellation() throws Exception {
        Future<Throwable> outcome = new Future<>();
        boolean[] stillInterrupted = new boolean[1];
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                await(new Future<>());
                outcome.setResult(null);
            } catch (Throwable t) {
                stillInterrupted[0] = Thread.currentThread().isInterrupted();
                outcome.setResult(t);
            }
        });
        long giveUp = System.nanoTime() + TIMEOUT.toNanos();
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        assertTrue(waiter.join(TIMEOUT));
        assertInstanceOf(CancellationException.class, outcome.result());
        assertTrue(stillInterrupted[0], "the interrupt status is kept");
    }

    @Test
    void awaitsACompletionStage() {
        IllegalArgumentException boom = new IllegalArgumentException("in stage");
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                assertEquals("async", await(CompletableFuture.supplyAsync(() -> "async")));
                // supplyAsync wraps the failure in a CompletionException; await unwraps it
                assertSame(boom, assertThrows(IllegalArgumentException.class,
                        () -> await(CompletableFuture.supplyAsync(() -> { throw boom; }))));
                assertSame(boom, assertThrows(IllegalArgumentException.class,
                        () -> await(CompletableFuture.failedFuture(boom))));
                return null;
            }, TIMEOUT);
        }
    }

    // ------------------------------------------------------------------ which loop, which thread

    @Test
    void currentLoopInsideACoroutineIsItsLoop() throws Exception {
        try (IOLoop loop = new IOLoop(); IOLoop other = new IOLoop()) {
            Thread otherThread = other.startThread("coroutines-test-other-loop");
            try {
                loop.runSync(() -> {
                    assertSame(loop, IOLoop.current());
                    assertSame(loop, await(spawn(IOLoop::current)));
                    assertSame(other, await(spawnOn(other, () -> {
                        await(sleep(Duration.ofMillis(1)));
                        return IOLoop.current();
                    })));
                    assertSame(loop, IOLoop.current(), "still its own loop after awaiting another loop's coroutine");
                    return null;
                }, TIMEOUT);
            } finally {
                other.stop();
                assertTrue(otherThread.join(TIMEOUT));
            }
        }
    }

    /** Coroutines, callbacks and timers of one loop run one at a time, switching only at awaits. */
    @Test
    void codeOfOneLoopNeverRunsConcurrently() {
        int rounds = 2000;
        try (IOLoop loop = new IOLoop()) {
            int[] result = loop.runSync(() -> {
                int[] counter = new int[1];
                int[] active = new int[1];
                int[] overlaps = new int[1];
                Runnable step = () -> {
                    if (active[0]++ != 0) {
                        overlaps[0]++;
                    }
                    int read = counter[0];
                    for (int spin = 0; spin < 50; spin++) {
                        Thread.onSpinWait(); // widen the window for a lost update
                    }
                    counter[0] = read + 1;
                    active[0]--;
                };
                CoroutineBody worker = () -> {
                    for (int i = 0; i < rounds; i++) {
                        step.run();
                        if (i % 10 == 0) {
                            loop.addCallback(step);
                            loop.callLater(Duration.ZERO, step);
                            await(moment());
                        }
                    }
                };
                await(multi(List.of(spawn(worker), spawn(worker), spawn(worker))));
                await(sleep(Duration.ofMillis(1))); // let the last callbacks and timers run
                return new int[] {counter[0], overlaps[0]};
            }, TIMEOUT);
            int expected = 3 * rounds + 3 * 2 * (rounds / 10);
            assertEquals(0, result[1], "overlapping pieces of code");
            assertEquals(expected, result[0], "lost updates");
        }
    }

    @Test
    void coroutinesAreVirtualThreadsAndInLoopCarrierModeRunOnTheLoopThread() {
        String loopThreadName = Thread.currentThread().getName(); // runSync runs the loop on this thread
        try (IOLoop loop = new IOLoop()) {
            Thread coroutineThread = loop.runSync(() -> {
                assertTrue(inCoroutine());
                await(sleep(Duration.ofMillis(1)));
                return Thread.currentThread();
            }, TIMEOUT);
            assertTrue(coroutineThread.isVirtual());
            assertFalse(inCoroutine());
            String carrier = loop.runSync(() -> {
                await(moment());
                return Thread.currentThread().toString(); // VirtualThread[#id]/runnable@<carrier name>
            }, TIMEOUT);
            if (mode() == CoroutineMode.LOOP_CARRIER) {
                assertTrue(carrier.endsWith("@" + loopThreadName), carrier);
            } else {
                assertFalse(carrier.endsWith("@" + loopThreadName), carrier);
            }
        }
    }

    /**
     * A virtual thread started inside a coroutine inherits the coroutine's scheduler (the JDK's rule);
     * it must still run on the JDK's scheduler, not on the loop, and must not disturb the coroutine.
     */
    @Test
    void virtualThreadStartedInACoroutineRunsOffTheLoop() {
        String loopThreadName = Thread.currentThread().getName();
        try (IOLoop loop = new IOLoop()) {
            String where = loop.runSync(() -> {
                Future<String> carrier = new Future<>();
                CountDownLatch go = new CountDownLatch(1);
                Thread child = Thread.ofVirtual().start(() -> {
                    try {
                        if (go.await(10, TimeUnit.SECONDS)) {
                            carrier.setResult(Thread.currentThread().toString());
                        }
                    } catch (InterruptedException e) {
                        carrier.setException(e);
                    }
                });
                for (int i = 0; i < 3; i++) {
                    await(moment()); // the coroutine still runs normally meanwhile
                }
                go.countDown();
                String result = await(carrier);
                child.join();
                return result;
            }, TIMEOUT);
            assertFalse(where.endsWith("@" + loopThreadName), where);
        }
    }

    /** Java's analogue of gen_test item 11 (contextvars): a ThreadLocal is per coroutine and survives awaits. */
    @Test
    void threadLocalsArePerCoroutineAndSurviveAwaits() {
        ThreadLocal<String> context = new ThreadLocal<>();
        try (IOLoop loop = new IOLoop()) {
            List<String> seen = loop.runSync(() -> {
                NamedBody body = name -> {
                    context.set(name);
                    await(moment());
                    await(sleep(Duration.ofMillis(1)));
                    return context.get();
                };
                Future<String> a = spawn(() -> body.call("a"));
                Future<String> b = spawn(() -> body.call("b"));
                return List.of(await(a), await(b), String.valueOf(context.get()));
            }, TIMEOUT);
            assertEquals(List.of("a", "b", "null"), seen);
        }
    }

    private interface NamedBody {
        String call(String name) throws Exception;
    }

    /** Java's analogue of Tornado #1769: a future referenced only by the coroutine awaiting it stays alive. */
    @Test
    void futureAwaitedOnlyByACoroutineIsNotCollected() {
        try (IOLoop loop = new IOLoop()) {
            assertEquals(123, loop.runSync(() -> await(withTimeout(Duration.ofSeconds(5), spawn(() -> {
                Future<Integer> f = new Future<>();
                WeakReference<Future<Integer>> ref = new WeakReference<>(f);
                loop.addCallback(() -> {
                    System.gc();
                    Future<Integer> alive = ref.get();
                    if (alive != null) {
                        alive.setResult(123);
                    }
                });
                return await(f);
            }))), TIMEOUT));
        }
    }
}
