package io.squall.concurrent;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import io.squall.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Future on its own: completion, callbacks, chaining, CompletionStage interop, and races. */
class FutureTest {
    private static final long WAIT_SECONDS = 10;

    // ------------------------------------------------------------------ states

    @Test
    void pendingFutureHasNoResultYet() {
        Future<String> f = new Future<>();
        assertFalse(f.isDone());
        assertFalse(f.isFailed());
        assertFalse(f.isCancelled());
        assertThrows(IllegalStateException.class, f::result);
        assertThrows(IllegalStateException.class, f::exception);
    }

    @Test
    void setResultCompletesIt() {
        Future<String> f = new Future<>();
        f.setResult("value");
        assertTrue(f.isDone());
        assertFalse(f.isFailed());
        assertEquals("value", f.result());
        assertNull(f.exception());
    }

    @Test
    void nullIsAValidResult() {
        Future<String> f = new Future<>();
        f.setResult(null);
        assertTrue(f.isDone());
        assertNull(f.result());
        assertTrue(Future.completed(null).isDone());
    }

    @Test
    void failureIsRethrownUncheckedAsRaisedAndCheckedWrapped() {
        IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
        Future<String> f1 = Future.failed(unchecked);
        assertSame(unchecked, assertThrows(IllegalArgumentException.class, f1::result));
        assertSame(unchecked, f1.exception());
        assertTrue(f1.isFailed());

        IOException checked = new IOException("checked");
        Future<String> f2 = new Future<>();
        f2.setException(checked);
        assertSame(checked, assertThrows(CompletionException.class, f2::result).getCause());
        assertSame(checked, f2.exception());

        AssertionError error = new AssertionError("an Error");
        assertSame(error, assertThrows(AssertionError.class, Future.failed(error)::result));
    }

    @Test
    void completingTwiceThrowsAndTrySetReportsIt() {
        Future<String> f = new Future<>();
        f.setResult("first");
        assertThrows(IllegalStateException.class, () -> f.setResult("second"));
        assertThrows(IllegalStateException.class, () -> f.setException(new RuntimeException("late")));
        assertFalse(f.trySetResult("third"));
        assertFalse(f.trySetException(new RuntimeException("late")));
        assertEquals("first", f.result());
    }

    @Test
    void cancelFailsAPendingFutureWithCancellation() {
        Future<String> f = new Future<>();
        List<Future<String>> seen = new ArrayList<>();
        f.addDoneCallback(seen::add);
        assertTrue(f.cancel());
        assertTrue(f.isDone());
        assertTrue(f.isCancelled());
        assertTrue(f.isFailed());
        assertThrows(CancellationException.class, f::result);
        assertEquals(List.of(f), seen, "callbacks run on cancel");
        assertFalse(f.cancel(), "a second cancel is refused");
        assertFalse(f.trySetResult("too late"));
        assertThrows(IllegalStateException.class, () -> f.setResult("too late"));
    }

    @Test
    void cancelOfADoneFutureIsRefused() {
        Future<String> f = Future.completed("done");
        assertFalse(f.cancel());
        assertFalse(f.isCancelled());
        assertEquals("done", f.result());
    }

    // ------------------------------------------------------------------ callbacks

    @Test
    void callbacksRunInRegistrationOrderOnTheCompletingThread() throws Exception {
        Future<String> f = new Future<>();
        List<String> order = new ArrayList<>();
        Thread[] ranOn = new Thread[1];
        for (int i = 0; i < 5; i++) {
            int n = i;
            f.addDoneCallback(done -> {
                order.add(n + ":" + done.result());
                ranOn[0] = Thread.currentThread();
            });
        }
        assertEquals(List.of(), order, "nothing runs before completion");
        Thread completer = Thread.ofPlatform().start(() -> f.setResult("v"));
        completer.join();
        assertEquals(List.of("0:v", "1:v", "2:v", "3:v", "4:v"), order);
        assertSame(completer, ranOn[0]);
    }

    @Test
    void callbackOnADoneFutureRunsAtOnceOnTheCallingThread() {
        Future<String> f = Future.completed("done");
        Thread[] ranOn = new Thread[1];
        f.addDoneCallback(done -> ranOn[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), ranOn[0], "ran before addDoneCallback returned");
    }

    @Test
    void aFailingCallbackIsLoggedAndTheOthersStillRun() {
        Future<String> f = new Future<>();
        List<String> ran = new ArrayList<>();
        try (LogCapture log = LogCapture.of(Future.class)) {
            f.addDoneCallback(done -> ran.add("before"));
            f.addDoneCallback(done -> { throw new IllegalStateException("callback boom"); });
            f.addDoneCallback(done -> ran.add("after"));
            f.setResult("x");
            assertEquals(List.of("before", "after"), ran);
            assertEquals(1, log.count(Level.ERROR, "Exception in done callback"));
            assertEquals("callback boom", LogCapture.thrownMessage(log.events().getFirst()));
        }
    }

    // ------------------------------------------------------------------ chaining

    @Test
    void mapTransformsTheResultAndPassesFailuresThrough() {
        Future<Integer> source = new Future<>();
        Future<String> mapped = source.map(n -> "n=" + n);
        assertFalse(mapped.isDone());
        source.setResult(4);
        assertEquals("n=4", mapped.result());

        IllegalStateException boom = new IllegalStateException("source failed");
        assertSame(boom, Future.<Integer>failed(boom).map(n -> n + 1).exception());

        IllegalArgumentException fnBoom = new IllegalArgumentException("fn failed");
        assertSame(fnBoom, Future.completed(1).map(n -> { throw fnBoom; }).exception());
    }

    @Test
    void flatMapChainsTheNextFuture() {
        Future<Integer> source = new Future<>();
        Future<String> next = new Future<>();
        Future<String> chained = source.flatMap(n -> next);
        source.setResult(1);
        assertFalse(chained.isDone(), "waits for the next future");
        next.setResult("second");
        assertEquals("second", chained.result());

        IllegalStateException boom = new IllegalStateException("next failed");
        assertSame(boom, Future.completed(1).flatMap(n -> Future.failed(boom)).exception());
        IllegalArgumentException fnBoom = new IllegalArgumentException("fn failed");
        assertSame(fnBoom, Future.completed(1).flatMap(n -> { throw fnBoom; }).exception());
        IllegalStateException sourceBoom = new IllegalStateException("source failed");
        assertSame(sourceBoom, Future.<Integer>failed(sourceBoom).flatMap(n -> Future.completed(n)).exception());
    }

    @Test
    void chainToCopiesTheOutcomeUnlessTheTargetIsDone() {
        Future<String> source = new Future<>();
        Future<String> target = new Future<>();
        source.chainTo(target);
        source.setResult("copied");
        assertEquals("copied", target.result());

        IllegalStateException boom = new IllegalStateException("copied failure");
        Future<String> failedTarget = new Future<>();
        Future.<String>failed(boom).chainTo(failedTarget);
        assertSame(boom, failedTarget.exception());

        Future<String> cancelledTarget = new Future<>();
        cancelledTarget.cancel();
        Future.completed("ignored").chainTo(cancelledTarget);
        assertTrue(cancelledTarget.isCancelled(), "a done target is left alone");
    }

    // ------------------------------------------------------------------ CompletionStage interop

    @Test
    void toCompletableFutureCarriesResultAndFailure() throws Exception {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        assertFalse(cf.isDone());
        f.setResult("value");
        assertEquals("value", cf.get(WAIT_SECONDS, TimeUnit.SECONDS));

        IOException boom = new IOException("failure");
        CompletableFuture<String> failed = Future.<String>failed(boom).toCompletableFuture();
        assertSame(boom, assertThrows(ExecutionException.class, failed::get).getCause());
        assertSame(boom, assertThrows(CompletionException.class, failed::join).getCause());
    }

    @Test
    void cancellingTheCompletableFutureDoesNotCancelTheFuture() {
        Future<String> f = new Future<>();
        f.toCompletableFuture().cancel(true);
        assertFalse(f.isDone());
    }

    @Test
    void fromCompletionStageCarriesResultAndUnwrapsFailures() throws Exception {
        assertEquals("sync", Future.from(CompletableFuture.completedFuture("sync")).result());

        CompletableFuture<String> later = new CompletableFuture<>();
        Future<String> f = Future.from(later);
        assertFalse(f.isDone());
        later.complete("later");
        assertEquals("later", f.result());

        IllegalArgumentException boom = new IllegalArgumentException("raw failure");
        assertSame(boom, Future.from(CompletableFuture.failedFuture(boom)).exception());

        // supplyAsync and dependent stages wrap failures in CompletionException; from() unwraps them.
        CompletableFuture<String> async = CompletableFuture.supplyAsync(() -> { throw boom; });
        Future<String> fromAsync = Future.from(async);
        CountDownLatch done = new CountDownLatch(1);
        fromAsync.addDoneCallback(x -> done.countDown());
        assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertSame(boom, fromAsync.exception());
        assertSame(boom, Future.from(CompletableFuture.<String>failedFuture(boom).thenApply(s -> s + "!")).exception());

        CompletionException noCause = new CompletionException("no cause", null);
        assertSame(noCause, Future.from(CompletableFuture.failedFuture(noCause)).exception());
    }

    @Test
    void roundTripThroughCompletableFuture() {
        Future<Integer> f = Future.from(Future.completed(41).toCompletableFuture().thenApply(n -> n + 1));
        assertEquals(42, f.result());
    }

    // ------------------------------------------------------------------ races

    /** Many threads race to complete one future: exactly one wins, and each callback runs once. */
    @Test
    void concurrentCompletionHasExactlyOneWinner() throws Exception {
        int threads = 8;
        for (int round = 0; round < 100; round++) {
            Future<Integer> f = new Future<>();
            AtomicInteger callbackRuns = new AtomicInteger();
            f.addDoneCallback(x -> callbackRuns.incrementAndGet());
            CyclicBarrier start = new CyclicBarrier(threads);
            AtomicInteger winners = new AtomicInteger();
            int[] won = new int[1];
            List<Thread> racers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int n = t;
                racers.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    boolean success = n % 3 == 0 ? f.cancel()
                            : n % 3 == 1 ? f.trySetException(new IllegalStateException("loser " + n))
                            : f.trySetResult(n);
                    if (success) {
                        winners.incrementAndGet();
                        won[0] = n;
                    }
                }));
            }
            for (Thread r : racers) {
                assertTrue(r.join(Duration.ofSeconds(WAIT_SECONDS)));
            }
            assertEquals(1, winners.get(), "round " + round);
            assertEquals(1, callbackRuns.get(), "round " + round);
            int winner = won[0];
            switch (winner % 3) {
                case 0 -> assertTrue(f.isCancelled());
                case 1 -> assertEquals("loser " + winner, f.exception().getMessage());
                default -> assertEquals(winner, f.result());
            }
        }
    }

    /** Callbacks added from many threads while another completes the future each run exactly once. */
    @Test
    void callbacksAddedConcurrentlyWithCompletionRunExactlyOnce() throws Exception {
        int adders = 4;
        int perAdder = 500;
        for (int round = 0; round < 20; round++) {
            Future<String> f = new Future<>();
            AtomicInteger[] runs = IntStream.range(0, adders * perAdder)
                    .mapToObj(i -> new AtomicInteger()).toArray(AtomicInteger[]::new);
            CyclicBarrier start = new CyclicBarrier(adders + 1);
            List<Thread> threads = new ArrayList<>();
            for (int a = 0; a < adders; a++) {
                int base = a * perAdder;
                threads.add(Thread.ofPlatform().start(() -> {
                    await(start);
                    for (int i = 0; i < perAdder; i++) {
                        AtomicInteger counter = runs[base + i];
                        f.addDoneCallback(x -> counter.incrementAndGet());
                    }
                }));
            }
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                f.setResult("done");
            }));
            for (Thread t : threads) {
                assertTrue(t.join(Duration.ofSeconds(WAIT_SECONDS)));
            }
            for (int i = 0; i < runs.length; i++) {
                assertEquals(1, runs[i].get(), "callback " + i + " in round " + round);
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
