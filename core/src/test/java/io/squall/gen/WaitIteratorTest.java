package io.squall.gen;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** WaitIterator (gen_test item 9). */
class WaitIteratorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One delivered result: the key, the future it came from, and its value or failure. */
    private record Step<K>(K key, Future<?> future, Object outcome) {}

    /** Drains {@code it} in a coroutine, recording each result or failure with currentKey/currentFuture. */
    private static <K> List<Step<K>> drain(WaitIterator<K, ?> it) {
        List<Step<K>> steps = new ArrayList<>();
        while (!it.done()) {
            Object outcome;
            try {
                outcome = await(it.next());
            } catch (RuntimeException e) {
                outcome = e;
            }
            steps.add(new Step<>(it.currentKey(), it.currentFuture(), outcome));
        }
        return steps;
    }

    @Test
    void resultsComeInCompletionOrder() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                List<Future<String>> futures = List.of(new Future<>(), new Future<>(), new Future<>());
                loop.callLater(Duration.ofMillis(3), () -> futures.get(2).setResult("c"));
                loop.callLater(Duration.ofMillis(6), () -> futures.get(0).setResult("a"));
                loop.callLater(Duration.ofMillis(9), () -> futures.get(1).setResult("b"));
                List<Step<Integer>> steps = drain(WaitIterator.of(futures));
                assertEquals(List.of(new Step<>(2, futures.get(2), "c"), new Step<>(0, futures.get(0), "a"),
                        new Step<>(1, futures.get(1), "b")), steps);
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void alreadyDoneFuturesComeFirstInArgumentOrder() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                Future<String> pending = new Future<>();
                List<Future<String>> futures = List.of(Future.completed("x"), pending, Future.completed("y"));
                WaitIterator<Integer, String> it = WaitIterator.of(futures);
                loop.callLater(Duration.ofMillis(1), () -> pending.setResult("late"));
                assertEquals(List.of(new Step<>(0, futures.get(0), "x"), new Step<>(2, futures.get(2), "y"),
                        new Step<>(1, pending, "late")), drain(it));
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void anEmptyIteratorIsDoneAtOnce() {
        WaitIterator<Integer, Object> it = WaitIterator.of(List.of());
        assertTrue(it.done());
        assertThrows(IllegalStateException.class, it::next);
        assertTrue(WaitIterator.of(Map.of()).done());
    }

    @Test
    void mapKeysAreTheCurrentKeys() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                Map<String, Future<Integer>> futures = new LinkedHashMap<>();
                futures.put("slow", new Future<>());
                futures.put("fast", new Future<>());
                loop.callLater(Duration.ofMillis(2), () -> futures.get("fast").setResult(1));
                loop.callLater(Duration.ofMillis(6), () -> futures.get("slow").setResult(2));
                assertEquals(List.of(new Step<>("fast", futures.get("fast"), 1), new Step<>("slow", futures.get("slow"), 2)),
                        drain(WaitIterator.of(futures)));
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void aFailureIsRaisedByItsNextAndIterationGoesOn() {
        IllegalStateException boom = new IllegalStateException("second fails");
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                List<Future<String>> futures = List.of(new Future<>(), new Future<>(), new Future<>());
                loop.callLater(Duration.ofMillis(2), () -> futures.get(1).setException(boom));
                loop.callLater(Duration.ofMillis(4), () -> futures.get(0).setResult("a"));
                loop.callLater(Duration.ofMillis(6), () -> futures.get(2).setResult("c"));
                assertEquals(List.of(new Step<>(1, futures.get(1), boom), new Step<>(0, futures.get(0), "a"),
                        new Step<>(2, futures.get(2), "c")), drain(WaitIterator.of(futures)));
                return null;
            }, TIMEOUT);
        }
    }

    @Test
    void nextWhileThePreviousIsPendingThrows() {
        WaitIterator<Integer, String> it = WaitIterator.of(List.of(new Future<String>()));
        Future<String> first = it.next();
        assertFalse(first.isDone());
        assertThrows(IllegalStateException.class, it::next);
    }

    @Test
    void futuresCompletedOnOtherThreads() {
        try (IOLoop loop = new IOLoop()) {
            List<Object> outcomes = loop.runSync(() -> {
                List<Future<Integer>> futures = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    futures.add(new Future<>());
                }
                WaitIterator<Integer, Integer> it = WaitIterator.of(futures);
                for (int i = 0; i < 20; i++) {
                    int n = i;
                    Thread.ofPlatform().start(() -> futures.get(n).setResult(n));
                }
                return drain(it).stream().map(Step::outcome).sorted().toList();
            }, TIMEOUT);
            assertEquals(IntStream.range(0, 20).boxed().toList(), outcomes);
        }
    }
}
