package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.gen.Coroutines;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Closing a loop cancels what is pending on it: its suspended coroutines get a
 * {@link CancellationException} at their await and run their {@code finally} blocks, its callbacks and
 * timers are dropped, and nothing of the loop stays reachable (in both coroutine modes, with the
 * JDK's default {@code jdk.trackAllThreads=true}).
 */
class CloseTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void closeCancelsASuspendedCoroutineAtItsAwaitAndRunsItsFinally() {
        IOLoop loop = new IOLoop();
        List<String> events = new ArrayList<>();
        Future<Void> coroutine = loop.runSync(() -> {
            Future<Void> c = spawn(() -> {
                try {
                    await(new Future<Void>());
                    events.add("resumed");
                } catch (CancellationException e) {
                    events.add("cancelled at its await");
                    throw e;
                } finally {
                    events.add("finally");
                    // The loop is closing: nothing would complete what it awaits, so an await throws at once.
                    assertThrows(CancellationException.class, () -> await(sleep(Duration.ofSeconds(1))));
                    events.add("an await in finally threw");
                }
            });
            await(moment());
            return c;
        }, TIMEOUT);
        assertFalse(coroutine.isDone());
        assertEquals(1, loop.liveCoroutineCount());

        loop.close();

        assertTrue(coroutine.isCancelled(), coroutine::toString);
        assertEquals(List.of("cancelled at its await", "finally", "an await in finally threw"), events);
        assertEquals(0, loop.liveCoroutineCount());
    }

    @Test
    void closeCancelsCoroutinesAwaitingEachOther() {
        IOLoop loop = new IOLoop();
        List<String> finallies = new ArrayList<>();
        List<Future<Void>> coroutines = loop.runSync(() -> {
            Future<Void> inner = spawn(() -> {
                try {
                    await(sleep(Duration.ofHours(1)));
                } finally {
                    finallies.add("inner");
                }
            });
            Future<Void> outer = spawn(() -> {
                try {
                    await(inner);
                } finally {
                    finallies.add("outer");
                }
            });
            await(moment());
            return List.of(inner, outer);
        }, TIMEOUT);
        assertEquals(2, loop.liveCoroutineCount());

        loop.close();

        assertTrue(coroutines.get(0).isCancelled() && coroutines.get(1).isCancelled(), coroutines::toString);
        assertEquals(List.of("inner", "outer"), finallies.stream().sorted().toList());
        assertEquals(0, loop.pendingTimerCount(), "the hour-long timer is gone");
    }

    @Test
    void closeDropsPendingCallbacksAndTimers() {
        IOLoop loop = new IOLoop();
        AtomicBoolean ran = new AtomicBoolean();
        loop.addCallback(() -> ran.set(true));
        loop.callLater(Duration.ZERO, () -> ran.set(true));

        loop.close();

        assertFalse(ran.get());
        assertEquals(0, loop.pendingTimerCount());
    }

    @Test
    void aCoroutineNotStartedBeforeCloseOrSpawnedAfterItEndsCancelledWithoutRunning() {
        IOLoop loop = new IOLoop();
        AtomicBoolean ran = new AtomicBoolean();
        Future<Object> queued = Coroutines.spawnOn(loop, () -> ran.getAndSet(true));

        loop.close();

        assertTrue(queued.isCancelled(), queued::toString);
        Future<Object> late = Coroutines.spawnOn(loop, () -> ran.getAndSet(true));
        assertThrows(CancellationException.class, () -> await(late)); // this thread is no loop: it waits
        assertFalse(ran.get());
    }

    /**
     * 10,000 loops, each closed with a coroutine suspended on it: every coroutine runs its finally block
     * and ends cancelled, and every loop can be collected (a loop still reachable would be reachable
     * through its coroutine's virtual thread, which the JDK keeps in its thread container while it is
     * alive).
     */
    @Test
    void closedLoopsWithSuspendedCoroutinesAreCollected() {
        assertTrue(Boolean.parseBoolean(System.getProperty("jdk.trackAllThreads", "true")),
                "this test is about the JDK's default, jdk.trackAllThreads=true");
        int loops = 10_000;
        AtomicInteger finallies = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        List<WeakReference<IOLoop>> closed = new ArrayList<>(loops);
        for (int i = 0; i < loops; i++) {
            IOLoop loop = new IOLoop();
            Coroutines.spawnOn(loop, () -> {
                try {
                    return await(new Future<Void>());
                } finally {
                    finallies.incrementAndGet();
                }
            }).addDoneCallback(f -> {
                if (f.isCancelled()) {
                    cancelled.incrementAndGet();
                }
            });
            loop.addCallback(loop::stop); // runs after the coroutine's first step, which suspends it
            loop.start();
            assertEquals(1, loop.liveCoroutineCount());
            loop.close();
            closed.add(new WeakReference<>(loop));
        }
        assertEquals(loops, finallies.get());
        assertEquals(loops, cancelled.get());
        long reachable = loops;
        for (int gc = 0; gc < 50 && reachable > 0; gc++) {
            System.gc(); // a virtual thread may still be exiting on the JDK's scheduler: collect again
            reachable = closed.stream().filter(ref -> ref.get() != null).count();
        }
        assertEquals(0, reachable, "closed loops still reachable");
    }
}
