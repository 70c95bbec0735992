package io.squall.locks;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports Tornado's locks_test EventTest. */
class EventTest extends AsyncTestCase {
    @Test
    void toStringShowsTheFlag() {
        Event e = new Event();
        assertTrue(e.toString().contains("clear"));
        assertFalse(e.toString().contains("set"));
        e.set();
        assertFalse(e.toString().contains("clear"));
        assertTrue(e.toString().contains("set"));
    }

    @Test
    void setReleasesWaitersAndClearMakesLaterWaitsBlock() {
        Event e = new Event();
        Future<Void> f0 = e.waitFor();
        e.set();
        Future<Void> f1 = e.waitFor();
        e.clear();
        Future<Void> f2 = e.waitFor();
        assertTrue(f0.isDone());
        assertTrue(f1.isDone());
        assertFalse(f2.isDone());
        assertFalse(e.isSet());
    }

    @Test
    void setWakesWaitingCoroutines() {
        run(() -> {
            Event e = new Event();
            List<String> log = new ArrayList<>();
            Future<Void> a = spawn(() -> { await(e.waitFor()); log.add("a"); });
            Future<Void> b = spawn(() -> { await(e.waitFor()); log.add("b"); });
            await(moment());
            assertTrue(log.isEmpty());
            e.set();
            await(multi(List.of(a, b)));
            assertEquals(List.of("a", "b"), log);
        });
    }

    @Test
    void timedOutWaitRaisesAndLaterWaitsStillWork() {
        run(() -> {
            Event e = new Event();
            assertTimesOut(e.waitFor(ms(10)));
            loop.callLater(ms(10), e::set);
            await(e.waitFor(Duration.ofSeconds(5)));
            assertTrue(e.isSet());
        });
    }

    @Test
    void zeroTimeoutFailsAtOnceWhenClearAndSucceedsWhenSet() {
        Event e = new Event();
        assertTimedOut(e.waitFor(Duration.ZERO));
        e.set();
        Future<Void> f = e.waitFor(Duration.ZERO);
        assertTrue(f.isDone());
        assertNull(f.result());
    }

    @Test
    void setIsIdempotent() {
        Event e = new Event();
        e.set();
        e.set();
        assertTrue(e.isSet());
        assertTrue(e.waitFor().isDone());
    }

    @Test
    void waitersFromBeforeAClearAreStillReleasedBySet() {
        Event e = new Event();
        Future<Void> f0 = e.waitFor();
        e.clear();
        Future<Void> f1 = e.waitFor();
        e.set();
        assertTrue(f0.isDone());
        assertTrue(f1.isDone());
    }

    @Test
    void aWaiterThatClearsAndWaitsAgainIsNotReleasedBySameSet() {
        Event e = new Event();
        List<Future<Void>> rewaits = new ArrayList<>();
        e.waitFor().addDoneCallback(f -> {
            e.clear();
            rewaits.add(e.waitFor());
        });
        e.set();
        assertEquals(1, rewaits.size());
        assertFalse(rewaits.getFirst().isDone(), "the set happened before this wait began");
    }
}
