package io.squall.queues;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.gen.Coroutines.CoroutineBody;
import io.squall.testing.AsyncTestCase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Ports Tornado's queues_test QueueJoinTest, run for Queue, PriorityQueue and LifoQueue. */
class QueueJoinTest extends AsyncTestCase {
    static Stream<Supplier<Queue<Integer>>> queues() {
        return Stream.of(Queue::new, PriorityQueue::new, LifoQueue::new);
    }

    @ParameterizedTest
    @MethodSource("queues")
    void taskDoneMoreTimesThanItemsFails(Supplier<Queue<Integer>> kind) {
        Queue<Integer> q = kind.get();
        var e = assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals("taskDone() called too many times", e.getMessage());
        q.putNowait(1);
        q.getNowait();
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @ParameterizedTest
    @MethodSource("queues")
    void joinWaitsUntilEveryItemIsDone(Supplier<Queue<Integer>> kind) {
        run(() -> {
            Queue<Integer> q = kind.get();
            for (int i = 0; i < 100; i++) {
                q.putNowait(i);
            }
            int[] accumulator = {0};
            CoroutineBody worker = () -> {
                while (true) {
                    accumulator[0] += await(q.get());
                    q.taskDone();
                    await(sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(3))));
                }
            };
            // Two coroutines share the work.
            List<Future<Void>> workers = List.of(spawn(worker), spawn(worker));
            await(q.join());
            assertEquals(4950, accumulator[0]);
            workers.forEach(Future::cancel);
        });
    }

    @ParameterizedTest
    @MethodSource("queues")
    void taskDoneNotGetUnblocksJoin(Supplier<Queue<Integer>> kind) {
        run(() -> {
            Queue<Integer> q = kind.get();
            q.putNowait(0);
            Future<Void> join = q.join();
            assertFalse(join.isDone());
            await(q.get());
            assertFalse(join.isDone());
            await(moment());
            assertFalse(join.isDone());
            q.taskDone();
            assertTrue(join.isDone());
        });
    }

    @ParameterizedTest
    @MethodSource("queues")
    void joinOnAnEmptyQueueReturnsAtOnce(Supplier<Queue<Integer>> kind) {
        Queue<Integer> q = kind.get();
        assertTrue(q.join().isDone());
        assertTrue(q.join().isDone());
        assertTrue(q.join(Duration.ZERO).isDone());
    }

    @ParameterizedTest
    @MethodSource("queues")
    void joinTimesOut(Supplier<Queue<Integer>> kind) {
        run(() -> {
            Queue<Integer> q = kind.get();
            q.put(0);
            var e = assertTimesOut(q.join(ms(10)));
            assertTrue(e.getMessage().startsWith("Queue.join timed out"), e.getMessage());
            assertTimedOut(q.join(Duration.ZERO));
            q.getNowait();
            q.taskDone();
            assertTrue(q.join().isDone(), "a timed-out join leaves the queue usable");
        });
    }
}
