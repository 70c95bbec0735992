package io.squall.bench.micro;

import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * Scheduling a timer a minute out and cancelling it (the common fate of a timeout): the loop's heap
 * with lazy cancellation, against a {@link ScheduledThreadPoolExecutor} (the plain-callback JDK timer)
 * and {@link CompletableFuture#delayedExecutor}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
@State(Scope.Thread)
public class TimerBenchmark {
    static final int N = 10_000;
    static final Duration DELAY = Duration.ofMinutes(1);
    private static final Runnable NOOP = () -> {};

    private ScheduledThreadPoolExecutor scheduler;
    private Executor delayed;

    /** Creates the JDK timers. */
    @Setup(Level.Trial)
    public void open() {
        scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        delayed = CompletableFuture.delayedExecutor(DELAY.toMillis(), TimeUnit.MILLISECONDS, Runnable::run);
    }

    /** Stops the JDK timers. */
    @TearDown(Level.Trial)
    public void close() {
        scheduler.shutdownNow();
    }

    /** {@code IOLoop.callLater} + {@code Timeout.cancel}, on the loop. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int scheduleCancelIOLoop(LoopState s) {
        IOLoop loop = s.loop;
        return loop.runSync(() -> {
            int n = 0;
            for (int i = 0; i < N; i++) {
                Timeout t = loop.callLater(DELAY, NOOP);
                t.cancel();
                n++;
            }
            return n + loop.pendingTimerCount();
        });
    }

    /** {@code ScheduledThreadPoolExecutor.schedule} + {@code cancel} (remove-on-cancel). */
    @Benchmark
    @OperationsPerInvocation(N)
    public int scheduleCancelScheduledExecutor() {
        int n = 0;
        for (int i = 0; i < N; i++) {
            ScheduledFuture<?> f = scheduler.schedule(NOOP, DELAY.toMillis(), TimeUnit.MILLISECONDS);
            f.cancel(false);
            n++;
        }
        return n;
    }

    /** {@code CompletableFuture.runAsync} on a delayed executor + {@code cancel}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public int scheduleCancelCompletableFuture() {
        int n = 0;
        for (int i = 0; i < N; i++) {
            CompletableFuture<Void> f = CompletableFuture.runAsync(NOOP, delayed);
            f.cancel(false);
            n++;
        }
        return n;
    }
}
