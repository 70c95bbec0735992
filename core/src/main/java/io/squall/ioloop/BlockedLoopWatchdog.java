package io.squall.ioloop;

import io.squall.ioloop.internal.CoroutineTask;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that watches every running loop and logs a warning, with the stack of what is
 * running, when a single callback or coroutine step holds a loop longer than its threshold
 * (Tornado's {@code set_blocking_log_threshold}, Vert.x's blocked-thread checker).
 *
 * <p>The loop pays one plain counter increment per callback; the watchdog samples the counter.
 */
final class BlockedLoopWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(BlockedLoopWatchdog.class);
    private static final Set<IOLoop> LOOPS = ConcurrentHashMap.newKeySet();
    private static final long TICK_NANOS = 20_000_000L;
    private static volatile Thread thread;

    private BlockedLoopWatchdog() {}

    static void watch(IOLoop loop) {
        LOOPS.add(loop);
        if (thread == null) {
            startThread();
        }
    }

    static void unwatch(IOLoop loop) {
        LOOPS.remove(loop);
    }

    private static synchronized void startThread() {
        if (thread != null) {
            return;
        }
        Thread t = Thread.ofPlatform().daemon().name("squall-blocked-loop-watchdog").unstarted(BlockedLoopWatchdog::run);
        thread = t;
        t.start();
    }

    private static void run() {
        for (;;) {
            try {
                Thread.sleep(TICK_NANOS / 1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (IOLoop loop : LOOPS) {
                check(loop, now);
            }
        }
    }

    private static void check(IOLoop loop, long now) {
        IOLoop.WatchState w = loop.watchState;
        long threshold = loop.blockingLogThresholdNanos();
        long seq = loop.taskSequence();
        Thread loopThread = loop.loopThread();
        if (threshold <= 0 || loopThread == null || loop.isSelecting() || seq != w.sampledSequence) {
            w.sampledSequence = seq;
            w.sampledAt = now;
            w.reported = false;
            return;
        }
        if (!w.reported && now - w.sampledAt >= threshold) {
            w.reported = true;
            report(loop, loopThread, now - w.sampledAt);
        }
    }

    private static void report(IOLoop loop, Thread loopThread, long blockedNanos) {
        StringBuilder msg = new StringBuilder();
        msg.append(loop).append(" blocked for ").append(blockedNanos / 1_000_000L)
                .append(" ms by one callback (threshold ").append(loop.blockingLogThresholdNanos() / 1_000_000L)
                .append(" ms); loop thread stack:").append(format(loopThread.getStackTrace()));
        if (loop.currentTask() instanceof CoroutineTask task) {
            Thread vt = task.coroutineThread();
            if (vt != null) {
                msg.append("\nrunning coroutine ").append(vt).append(":").append(format(vt.getStackTrace()));
            }
        }
        LOG.warn(msg.toString());
    }

    private static String format(StackTraceElement[] stack) {
        return Arrays.stream(stack).map(e -> "\n\tat " + e).collect(Collectors.joining());
    }
}
