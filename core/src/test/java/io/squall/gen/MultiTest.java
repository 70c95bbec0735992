package io.squall.gen;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import io.squall.testing.LogCapture;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** multi over lists and maps (gen_test items 3 and 4). */
class MultiTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String MULTIPLE = "Multiple exceptions in yield list";

    @Test
    void listResultsComeInListOrder() {
        Future<Integer> a = new Future<>();
        Future<Integer> b = new Future<>();
        Future<Integer> c = new Future<>();
        Future<List<Integer>> all = multi(List.of(a, b, c));
        c.setResult(3);
        b.setResult(2);
        assertFalse(all.isDone());
        a.setResult(1);
        assertEquals(List.of(1, 2, 3), all.result());
    }

    @Test
    void mapResultsKeepTheirKeysInKeyOrder() {
        Future<String> x = new Future<>();
        Future<String> y = new Future<>();
        Map<String, Future<String>> futures = new LinkedHashMap<>();
        futures.put("b", y);
        futures.put("a", x);
        Future<Map<String, String>> all = multi(futures);
        x.setResult("for a");
        y.setResult("for b");
        assertEquals(Map.of("a", "for a", "b", "for b"), all.result());
        assertEquals(List.of("b", "a"), List.copyOf(all.result().keySet()));
    }

    @Test
    void emptyInputsGiveEmptyResultsAtOnce() {
        Future<List<Object>> list = multi(List.of());
        Future<Map<String, Object>> map = multi(Map.<String, Future<Object>>of());
        assertEquals(List.of(), list.result());
        assertEquals(Map.of(), map.result());
    }

    @Test
    void aDuplicateFutureGivesItsValueTwice() {
        Future<Integer> one = Future.completed(1);
        Future<Integer> two = new Future<>();
        Future<Integer> three = Future.completed(3);
        Future<List<Integer>> all = multi(List.of(one, two, three, two));
        two.setResult(2);
        assertEquals(List.of(1, 2, 3, 2), all.result());
    }

    @Test
    void worksWithCoroutines() {
        try (IOLoop loop = new IOLoop()) {
            assertEquals(List.of("slow", "fast"), loop.runSync(() -> await(multi(List.of(
                    spawn(() -> {
                        await(sleep(Duration.ofMillis(10)));
                        return "slow";
                    }),
                    spawn(() -> "fast")))), TIMEOUT));
        }
    }

    /** gen_test item 4: the first failure in list order, raised only once every child has finished. */
    @Test
    void firstFailureInListOrderIsRaisedAfterAllChildrenFinish() {
        IllegalStateException first = new IllegalStateException("first in list order");
        IllegalStateException second = new IllegalStateException("failed earlier in time");
        Future<Integer> a = new Future<>();
        Future<Integer> b = new Future<>();
        Future<Integer> c = new Future<>();
        try (LogCapture log = LogCapture.of(Coroutines.class)) {
            Future<List<Integer>> all = multi(List.of(a, b, c));
            b.setException(second);
            assertFalse(all.isDone(), "waits for the others after a failure");
            a.setException(first);
            assertFalse(all.isDone(), "still waits for c");
            c.setResult(3);
            assertSame(first, all.exception());
            assertEquals(1, log.count(Level.ERROR, MULTIPLE), () -> "logged: " + log.events());
            assertEquals("failed earlier in time", LogCapture.thrownMessage(log.matching(Level.ERROR, MULTIPLE).getFirst()));
        }
    }

    @Test
    void firstFailureInKeyOrderForMaps() {
        IllegalStateException first = new IllegalStateException("first key");
        Future<Integer> a = new Future<>();
        Future<Integer> b = new Future<>();
        Map<String, Future<Integer>> futures = new LinkedHashMap<>();
        futures.put("a", a);
        futures.put("b", b);
        try (LogCapture log = LogCapture.of(Coroutines.class)) {
            Future<Map<String, Integer>> all = multi(futures);
            b.setException(new IllegalStateException("second key"));
            a.setException(first);
            assertSame(first, all.exception());
            assertEquals(1, log.count(Level.ERROR, MULTIPLE));
        }
    }

    @Test
    void aSingleFailureIsNotLogged() {
        IllegalStateException only = new IllegalStateException("only failure");
        try (LogCapture log = LogCapture.of(Coroutines.class)) {
            Future<List<Integer>> all = multi(List.of(Future.completed(1), Future.failed(only), Future.completed(3)));
            assertSame(only, all.exception());
            assertEquals(List.of(), log.events());
        }
    }

    @Test
    void aFailedDuplicateIsNotLoggedTwice() {
        Future<Integer> failed = Future.failed(new IllegalStateException("same future twice"));
        try (LogCapture log = LogCapture.of(Coroutines.class)) {
            assertTrue(multi(List.of(failed, failed)).isFailed());
            assertEquals(List.of(), log.events());
        }
    }

    @Test
    void quietExceptionTypesAreNotLogged() {
        IOException first = new IOException("first");
        try (LogCapture log = LogCapture.of(Coroutines.class)) {
            Future<List<Object>> all = multi(List.of(
                    Future.failed(first), Future.failed(new IOException("quiet")), Future.failed(new IllegalStateException("loud"))),
                    Set.of(IOException.class));
            assertSame(first, all.exception());
            assertEquals(1, log.count(Level.ERROR, MULTIPLE), () -> "logged: " + log.events());
            assertEquals("loud", LogCapture.thrownMessage(log.events().getFirst()));
        }
    }
}
