package io.squall.queues;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ports Tornado's queues_test ProducerConsumerTest. */
class ProducerConsumerTest extends AsyncTestCase {
    @Test
    void producerAndConsumerShareABoundedQueue() {
        run(() -> {
            Queue<Integer> q = new Queue<>(3);
            List<Integer> history = new ArrayList<>();
            int[] maxSeen = {0};
            // No await between get and taskDone: join must still wait for every item.
            Future<Void> consumer = spawn(() -> {
                while (true) {
                    history.add(await(q.get()));
                    q.taskDone();
                }
            });
            Future<Void> producer = spawn(() -> {
                for (int item = 0; item < 10; item++) {
                    await(q.put(item));
                    maxSeen[0] = Math.max(maxSeen[0], q.size());
                }
            });
            await(producer);
            await(q.join());
            assertEquals(IntStream.range(0, 10).boxed().toList(), history);
            assertTrue(maxSeen[0] <= 3, "never more than maxsize items held");
            consumer.cancel();
        });
    }
}
