package io.squall.bench.micro;

import io.squall.ioloop.IOLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handing work to an event-loop thread from another thread: {@code IOLoop.addCallback} (lock-free
 * queue, wakes the selector only when it sleeps) against a single-thread {@link ExecutorService}
 * (the plain JDK hand-off) and {@link CompletableFuture#runAsync} on that executor. The benchmark
 * thread submits N tasks and waits until the last has run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
@State(Scope.Thread)
public class CrossThreadBenchmark {
    static final int N = 10_000;

    private IOLoop loop;
    private ExecutorService executor;
    private int counter;

    /** Starts a loop on its own thread and a single-thread executor. */
    @Setup(Level.Trial)
    public void open() {
        loop = new IOLoop();
        loop.setBlockingLogThreshold(java.time.Duration.ZERO);
        loop.startThread("bench-loop");
        executor = Executors.newSingleThreadExecutor();
    }

    /** Stops both. */
    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        loop.stop();
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** {@code IOLoop.addCallback} from a foreign thread. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int addCallbackIOLoop() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < N - 1; i++) {
            loop.addCallback(this::increment);
        }
        loop.addCallback(done::countDown);
        done.await();
        return counter;
    }

    /** {@code ExecutorService.execute} on a single-thread executor. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int executeSingleThreadExecutor() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < N - 1; i++) {
            executor.execute(this::increment);
        }
        executor.execute(done::countDown);
        done.await();
        return counter;
    }

    /** {@code CompletableFuture.runAsync} on the same single-thread executor. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int runAsyncCompletableFuture() {
        CompletableFuture<Void> last = null;
        for (int i = 0; i < N; i++) {
            last = CompletableFuture.runAsync(this::increment, executor);
        }
        last.join();
        return counter;
    }

    private void increment() {
        counter++;
    }
}
