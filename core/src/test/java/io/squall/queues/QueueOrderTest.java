package io.squall.queues;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.testing.AsyncTestCase;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports the order tests of Tornado's PriorityQueueJoinTest and LifoQueueJoinTest. */
class QueueOrderTest extends AsyncTestCase {
    record Entry(int priority, String name) {}

    @Test
    void priorityQueueGivesTheLowestFirstIncludingFromWaitingPutters() {
        run(() -> {
            var q = new PriorityQueue<Entry>(2, Comparator.comparingInt(Entry::priority));
            q.putNowait(new Entry(1, "a"));
            q.putNowait(new Entry(0, "b"));
            assertTrue(q.isFull());
            q.put(new Entry(3, "c"));
            q.put(new Entry(2, "d"));
            assertEquals(new Entry(0, "b"), q.getNowait());
            assertEquals(new Entry(1, "a"), await(q.get()));
            assertEquals(new Entry(2, "d"), q.getNowait());
            assertEquals(new Entry(3, "c"), await(q.get()));
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void priorityQueueUsesNaturalOrderByDefault() {
        var q = new PriorityQueue<String>();
        for (String s : List.of("pear", "apple", "fig")) {
            q.putNowait(s);
        }
        assertEquals(List.of("apple", "fig", "pear"), List.of(q.getNowait(), q.getNowait(), q.getNowait()));
        var reversed = new PriorityQueue<Integer>(Comparator.reverseOrder());
        reversed.putNowait(1);
        reversed.putNowait(3);
        assertEquals(3, reversed.getNowait());
        assertEquals(0, new PriorityQueue<Integer>(5).size());
    }

    @Test
    void lifoQueueGivesTheLastPutFirst() {
        run(() -> {
            var q = new LifoQueue<Integer>(2);
            q.putNowait(1);
            q.putNowait(0);
            assertTrue(q.isFull());
            q.put(3);
            q.put(2);
            assertEquals(3, q.getNowait());
            assertEquals(2, await(q.get()));
            assertEquals(0, q.getNowait());
            assertEquals(1, await(q.get()));
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void subclassesValidateMaxsizeToo() {
        assertThrows(IllegalArgumentException.class, () -> new LifoQueue<Integer>(-1));
        assertThrows(IllegalArgumentException.class, () -> new PriorityQueue<Integer>(-1));
    }
}
