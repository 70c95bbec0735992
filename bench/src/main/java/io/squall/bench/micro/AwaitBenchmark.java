package io.squall.bench.micro;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.spawn;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The await round trip: code waits for a future that a later loop callback completes, then goes on.
 * Squall's coroutine {@code await} against the same chain written with plain done callbacks and with
 * {@link CompletableFuture#thenAccept}. Also the spawn-to-completion cost of a coroutine against a
 * plain callback and {@link CompletableFuture#supplyAsync} on the loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class AwaitBenchmark {
    static final int N = 10_000;

    /** Coroutine: {@code await(f)} where a loop callback completes {@code f}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int roundTripCoroutineAwait(LoopState s) {
        IOLoop loop = s.loop;
        return loop.runSync(() -> {
            int sum = 0;
            for (int i = 0; i < N; i++) {
                Future<Integer> f = new Future<>();
                int v = i;
                loop.addCallback(() -> f.setResult(v));
                sum += await(f);
            }
            return sum;
        });
    }

    /** Plain callbacks: the continuation is a done callback on the future (Tornado without coroutines). */
    @Benchmark
    @OperationsPerInvocation(N)
    public int roundTripPlainCallbacks(LoopState s) {
        IOLoop loop = s.loop;
        return loop.runSync(() -> {
            Future<Integer> done = new Future<>();
            new CallbackChain(loop, done).step(0, 0);
            return await(done);
        });
    }

    /** CompletableFuture: the continuation is {@code thenAccept} on a future a loop callback completes. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int roundTripCompletableFuture(LoopState s) {
        IOLoop loop = s.loop;
        return loop.runSync(() -> {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            new CompletableChain(loop, done).step(0, 0);
            return await(done);
        });
    }

    /** Spawning N coroutines that return at once; waits for the last (they complete in order). */
    @Benchmark
    @OperationsPerInvocation(N)
    public int spawnCoroutine(LoopState s) {
        return s.loop.runSync(() -> {
            Future<Integer> last = null;
            for (int i = 0; i < N; i++) {
                int v = i;
                last = spawn(() -> v);
            }
            return await(last);
        });
    }

    /** The callback equivalent of a spawn: N tasks queued on the loop, each completing a future. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int spawnPlainCallback(LoopState s) {
        IOLoop loop = s.loop;
        return loop.runSync(() -> {
            Future<Integer> last = null;
            for (int i = 0; i < N; i++) {
                Future<Integer> f = new Future<>();
                int v = i;
                loop.addCallback(() -> f.setResult(v));
                last = f;
            }
            return await(last);
        });
    }

    /** N {@code CompletableFuture.supplyAsync} on the loop as executor. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int spawnCompletableFuture(LoopState s) {
        IOLoop loop = s.loop;
        return loop.runSync(() -> {
            CompletableFuture<Integer> last = null;
            for (int i = 0; i < N; i++) {
                int v = i;
                last = CompletableFuture.supplyAsync(() -> v, loop);
            }
            return await(last);
        });
    }

    private record CallbackChain(IOLoop loop, Future<Integer> done) {
        void step(int i, int sum) {
            if (i == N) {
                done.setResult(sum);
                return;
            }
            Future<Integer> f = new Future<>();
            loop.addCallback(() -> f.setResult(i));
            f.addDoneCallback(r -> step(i + 1, sum + r.result()));
        }
    }

    private record CompletableChain(IOLoop loop, CompletableFuture<Integer> done) {
        void step(int i, int sum) {
            if (i == N) {
                done.complete(sum);
                return;
            }
            CompletableFuture<Integer> f = new CompletableFuture<>();
            loop.addCallback(() -> f.complete(i));
            f.thenAccept(r -> step(i + 1, sum + r));
        }
    }
}
