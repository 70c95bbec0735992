package io.squall.queues;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ports Tornado's queues_test QueueBasicTest, QueueGetTest and QueuePutTest. */
class QueueTest extends AsyncTestCase {
    // ---------------------------------------------------------------- basics

    @Test
    void toStringShowsSizeWaitersAndTasks() {
        Queue<String> q = new Queue<>(1);
        q.get();
        String s = q.toString();
        assertTrue(s.startsWith("Queue["), s);
        assertTrue(s.contains("maxsize=1"), s);
        assertTrue(s.contains("getters=1"), s);
        assertFalse(s.contains("putters"), s);
        assertFalse(s.contains("tasks"), s);
        q.put("a"); // goes to the getter
        q.put("b");
        q.put("c"); // full: this putter waits
        s = q.toString();
        assertFalse(s.contains("getters"), s);
        assertTrue(s.contains("putters=1"), s);
        assertTrue(s.contains("tasks=2"), s);
    }

    @Test
    void itemsComeOutInFifoOrder() {
        Queue<Integer> q = new Queue<>();
        for (int i : new int[] {1, 3, 2}) {
            q.putNowait(i);
        }
        assertEquals(List.of(1, 3, 2), List.of(q.getNowait(), q.getNowait(), q.getNowait()));
    }

    @Test
    void maxsizeBoundsTheQueueAndAFullPutWaitsForAGet() {
        assertThrows(IllegalArgumentException.class, () -> new Queue<Integer>(-1));
        run(() -> {
            Queue<Integer> q = new Queue<>(2);
            assertTrue(q.isEmpty());
            assertFalse(q.isFull());
            assertEquals(2, q.maxsize());
            assertTrue(q.put(0).isDone());
            assertTrue(q.put(1).isDone());
            assertFalse(q.isEmpty());
            assertTrue(q.isFull());
            Future<Void> put2 = q.put(2);
            assertFalse(put2.isDone());
            assertEquals(0, await(q.get())); // makes room
            assertTrue(put2.isDone());
            assertFalse(q.isEmpty());
            assertTrue(q.isFull());
            assertEquals(2, q.size());
        });
    }

    @Test
    void maxsizeZeroIsUnbounded() {
        Queue<Integer> q = new Queue<>(0);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(q.put(i).isDone());
        }
        assertFalse(q.isFull());
        assertEquals(10_000, q.size());
        assertEquals(0, new Queue<Integer>().maxsize());
    }

    @Test
    void nullItemsAreRejected() {
        Queue<String> q = new Queue<>();
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.put(null, Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> q.putNowait(null));
        assertTrue(q.isEmpty());
    }

    // ---------------------------------------------------------------- get

    @Test
    void getReturnsAnAvailableItemAtOnce() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(0);
            Future<Integer> get = q.get();
            assertTrue(get.isDone());
            assertEquals(0, await(get));
        });
    }

    @Test
    void getNowaitReturnsAnItemOrFailsWhenEmpty() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(0);
        assertEquals(0, q.getNowait());
        assertThrows(QueueEmptyException.class, q::getNowait);
    }

    @Test
    void getOnAnEmptyQueueWaits() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            Future<Integer> get = q.get();
            await(sleep(ms(10)));
            assertFalse(get.isDone());
            q.putNowait(7);
            assertEquals(7, await(get));
        });
    }

    @Test
    void getLetsAWaitingPutterIn() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            Future<Void> put = q.put(1);
            assertEquals(0, await(q.get()));
            assertNull(await(put));
            assertEquals(1, q.getNowait());
        });
    }

    @Test
    void timedGetsReceiveLaterPuts() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            q.put(0);
            loop.callLater(ms(10), () -> q.putNowait(1));
            loop.callLater(ms(20), () -> q.putNowait(2));
            assertEquals(0, await(q.get(Duration.ofSeconds(5))));
            assertEquals(1, await(q.get(Duration.ofSeconds(5))));
            assertEquals(2, await(q.get(Duration.ofSeconds(5))));
        });
    }

    @Test
    void getTimesOutAndLaterGettersStillWork() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            Future<Integer> getTimeout = q.get(ms(10));
            Future<Integer> get = q.get();
            assertTimesOut(getTimeout);
            q.putNowait(0);
            assertEquals(0, await(get));
        });
    }

    @Test
    void zeroTimeoutGetOnAnEmptyQueueFailsAtOnce() {
        Queue<Integer> q = new Queue<>();
        assertTimedOut(q.get(Duration.ZERO));
        assertEquals(0, q.getterCount(), "not queued");
        q.putNowait(5);
        assertEquals(5, q.get(Duration.ZERO).result());
    }

    @Test
    void putBeforeTheDeadlinePreemptsTheGetTimeout() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            Future<Integer> get = q.get(ms(10));
            q.put(0);
            await(sleep(ms(20)));
            assertEquals(0, await(get));
        });
    }

    @Test
    void getDropsTimedOutPutters() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            // The first putter succeeds; the rest block.
            List<Future<Void>> putters = IntStream.range(0, 10).mapToObj(i -> q.put(i, ms(10))).toList();
            Future<Void> put = q.put(10);
            assertEquals(10, q.putterCount());
            await(sleep(ms(20)));
            assertEquals(10, q.putterCount());
            assertFalse(put.isDone()); // the last putter is still live
            q.put(11);
            assertEquals(0, await(q.get())); // the get drops the timed-out putters
            assertEquals(1, q.putterCount());
            assertTrue(put.isDone());
            putters.subList(1, 10).forEach(AsyncTestCase::assertTimedOut);
            assertEquals(10, q.getNowait());
            assertEquals(11, q.getNowait());
        });
    }

    @Test
    void getDropsTimedOutGetters() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Future<Integer>> getters = IntStream.range(0, 10).mapToObj(i -> q.get(ms(10))).toList();
            Future<Integer> get = q.get();
            assertEquals(11, q.getterCount());
            await(sleep(ms(20)));
            assertEquals(11, q.getterCount());
            assertFalse(get.isDone()); // the last getter is still live
            q.get(); // drops the timed-out getters
            assertEquals(2, q.getterCount());
            getters.forEach(AsyncTestCase::assertTimedOut);
        });
    }

    @Test
    void consumerLoopTakesEveryItem() {
        // Tornado's "async for item in q".
        run(() -> {
            Queue<Integer> q = new Queue<>();
            for (int i = 0; i < 5; i++) {
                q.put(i);
            }
            List<Integer> results = await(spawn(() -> {
                List<Integer> got = new ArrayList<>();
                while (true) {
                    int item = await(q.get());
                    got.add(item);
                    if (item == 4) {
                        return got;
                    }
                }
            }));
            assertEquals(List.of(0, 1, 2, 3, 4), results);
        });
    }

    // ---------------------------------------------------------------- put

    @Test
    void putWithRoomIsDoneAtOnce() {
        Queue<Integer> q = new Queue<>();
        assertTrue(q.put(0).isDone());
        assertEquals(0, q.getNowait());
    }

    @Test
    void putNowaitOnAFullQueueFails() {
        Queue<Integer> q = new Queue<>(1);
        q.put(0);
        var e = assertThrows(QueueFullException.class, () -> q.putNowait(1));
        assertTrue(e.getMessage().contains("maxsize 1"));
        assertEquals(1, q.size());
    }

    @Test
    void putServesWaitingGettersInOrder() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            Future<Integer> get0 = q.get();
            Future<Integer> get1 = q.get();
            await(q.put(0));
            assertEquals(0, await(get0));
            await(q.put(1));
            assertEquals(1, await(get1));
        });
    }

    @Test
    void putNowaitHandsTheItemToTheFirstGetterWhichResumesOnTheNextLoopTurn() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> received = new ArrayList<>();
            Future<Void> consumer = spawn(() -> {
                received.add(await(q.get()));
                received.add(await(q.get()));
            });
            await(moment()); // the consumer is now waiting
            assertEquals(1, q.getterCount());
            q.putNowait(0);
            assertEquals(0, q.size(), "handed straight to the getter, not stored");
            assertTrue(received.isEmpty(), "the getter's coroutine has not resumed yet");
            await(moment());
            assertEquals(List.of(0), received);
            q.putNowait(1);
            await(consumer);
            assertEquals(List.of(0, 1), received);
        });
    }

    @Test
    void fullPutsWaitUntilGetsMakeRoom() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            loop.callLater(ms(10), q::get);
            loop.callLater(ms(20), q::get);
            List<Future<Void>> futures = List.of(q.put(0), q.put(1));
            assertTrue(futures.stream().noneMatch(Future::isDone));
            await(multi(futures));
            assertEquals(1, q.getNowait());
        });
    }

    @Test
    void putTimesOutAndTheItemIsNeverPut() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0); // now it is full
            Future<Void> putTimeout = q.put(1, ms(10));
            Future<Void> put = q.put(2);
            assertTimesOut(putTimeout);
            assertEquals(0, q.getNowait());
            assertEquals(2, await(q.get())); // 1 was never put
            await(put); // the last get let this putter in
        });
    }

    @Test
    void zeroTimeoutPutOnAFullQueueFailsAtOnce() {
        Queue<Integer> q = new Queue<>(1);
        assertTrue(q.put(0, Duration.ZERO).isDone());
        assertTimedOut(q.put(1, Duration.ZERO));
        assertEquals(0, q.putterCount(), "not queued");
        assertEquals(0, q.getNowait());
        assertTrue(q.isEmpty(), "the timed-out item was not put");
    }

    @Test
    void getBeforeTheDeadlinePreemptsThePutTimeout() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(0);
            Future<Void> put = q.put(1, ms(10));
            q.get();
            await(sleep(ms(20)));
            assertNull(await(put)); // no timeout
            assertEquals(1, q.getNowait());
        });
    }

    @Test
    void putDropsTimedOutPutters() {
        run(() -> {
            Queue<Integer> q = new Queue<>(1);
            List<Future<Void>> putters = IntStream.range(0, 10).mapToObj(i -> q.put(i, ms(10))).toList();
            Future<Void> put = q.put(10);
            assertEquals(10, q.putterCount());
            await(sleep(ms(20)));
            assertEquals(10, q.putterCount());
            assertFalse(put.isDone());
            q.put(11); // drops the timed-out putters
            assertEquals(2, q.putterCount());
            putters.subList(1, 10).forEach(AsyncTestCase::assertTimedOut);
        });
    }

    @Test
    void putDropsTimedOutGetters() {
        run(() -> {
            Queue<Integer> q = new Queue<>();
            List<Future<Integer>> getters = IntStream.range(0, 10).mapToObj(i -> q.get(ms(10))).toList();
            Future<Integer> get = q.get();
            q.get();
            assertEquals(12, q.getterCount());
            await(sleep(ms(20)));
            assertEquals(12, q.getterCount());
            assertFalse(get.isDone());
            q.put(0); // drops the timed-out getters
            assertEquals(1, q.getterCount());
            assertEquals(0, await(get));
            getters.forEach(AsyncTestCase::assertTimedOut);
        });
    }

    @Test
    void cancelledGettersAndPuttersAreSkipped() {
        Queue<Integer> q = new Queue<>(1);
        Future<Integer> abandonedGet = q.get();
        Future<Integer> get = q.get();
        abandonedGet.cancel();
        q.putNowait(1);
        assertEquals(1, get.result());
        q.putNowait(2);
        Future<Void> abandonedPut = q.put(3);
        Future<Void> put = q.put(4);
        abandonedPut.cancel();
        assertEquals(2, q.getNowait());
        assertTrue(put.isDone());
        assertEquals(4, q.getNowait(), "the cancelled put's item never went in");
    }
}
