package io.squall.guide;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;
import static io.squall.gen.Coroutines.withTimeout;

import io.squall.concurrent.Future;
import io.squall.concurrent.OperationTimeoutException;
import io.squall.ioloop.IOLoop;
import io.squall.locks.Lock;
import io.squall.locks.Permit;
import io.squall.queues.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The snippets of docs/guide/loop-and-coroutines.md; {@link GuideSnippetsRunTest} runs them. */
final class LoopAndCoroutinesSnippets {
    private LoopAndCoroutinesSnippets() {
    }

    // tag::run-sync[]
    static String runOnAFreshLoop() {
        try (IOLoop loop = new IOLoop()) {                 // closing it cancels what is left on it
            return loop.runSync(() -> {                      // a coroutine; the loop runs until it ends
                await(sleep(Duration.ofMillis(10)));         // suspends; the loop runs other work
                return "done";
            });
        }
    }
    // end::run-sync[]

    // tag::spawn-multi[]
    static Future<Integer> slowSquare(int n) {
        return spawn(() -> {                                 // starts a coroutine, returns its future
            await(sleep(Duration.ofMillis(10 * n)));
            return n * n;
        });
    }

    static List<Integer> squaresAtOnce() {                   // call from a coroutine
        List<Future<Integer>> running = List.of(slowSquare(1), slowSquare(2), slowSquare(3));
        return await(multi(running));                        // [1, 4, 9] after the longest (30 ms)
    }
    // end::spawn-multi[]

    // tag::with-timeout[]
    static String fastOrFallback(Future<String> answer) {    // call from a coroutine
        try {
            return await(withTimeout(Duration.ofMillis(50), answer));
        } catch (OperationTimeoutException e) {
            return "fallback";                               // the answer's future itself goes on
        }
    }
    // end::with-timeout[]

    // tag::lock-and-queue[]
    static List<String> producerConsumer() {                 // call from a coroutine
        Queue<String> queue = new Queue<>(2);                // put waits while two items are queued
        Lock lock = new Lock();
        List<String> seen = new ArrayList<>();
        Future<Void> consumer = spawn(() -> {
            for (int i = 0; i < 3; i++) {
                String item = await(queue.get());
                try (Permit permit = await(lock.acquire())) {  // released when the block ends
                    seen.add(item);
                }
                queue.taskDone();
            }
        });
        for (String item : List.of("a", "b", "c")) {
            await(queue.put(item));
        }
        await(queue.join());                                 // every item taken and marked done
        await(consumer);
        return seen;
    }
    // end::lock-and-queue[]

    // tag::offload[]
    static long checksumOffTheLoop(byte[] data) {            // call from a coroutine
        IOLoop loop = IOLoop.current();
        return await(loop.runInExecutor(null, () -> {        // the loop's default executor
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data);                                // CPU or blocking work: never on the loop
            return crc.getValue();
        }));
    }
    // end::offload[]
}
