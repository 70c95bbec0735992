package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** runInExecutor, setDefaultExecutor and addFuture (ioloop_test item 14). */
class ExecutorTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Where a task ran, and whether its future completed on the loop thread. */
    private record Ran(String threadName, boolean completedOnLoop) {}

    private static Ran runOn(IOLoop loop, ExecutorService executor) {
        return loop.runSync(() -> {
            Future<String> f = loop.runInExecutor(executor, () -> {
                assertFalse(loop.inLoop());
                return Thread.currentThread().getName();
            });
            Future<Boolean> completedOnLoop = new Future<>();
            f.addDoneCallback(done -> completedOnLoop.setResult(loop.inLoop()));
            return new Ran(await(f), await(completedOnLoop));
        }, TIMEOUT);
    }

    @Test
    void defaultExecutorIsASharedPool() {
        try (IOLoop loop = new IOLoop()) {
            Ran ran = runOn(loop, null);
            assertTrue(ran.threadName().startsWith("squall-executor-"), ran.threadName());
            assertTrue(ran.completedOnLoop(), "the future completes on the loop");
        }
    }

    @Test
    void explicitExecutorIsUsed() {
        try (IOLoop loop = new IOLoop();
             ExecutorService custom = Executors.newSingleThreadExecutor(r -> new Thread(r, "custom-executor"))) {
            Ran ran = runOn(loop, custom);
            assertEquals("custom-executor", ran.threadName());
            assertTrue(ran.completedOnLoop());
        }
    }

    @Test
    void setDefaultExecutorReplacesTheDefault() {
        try (IOLoop loop = new IOLoop();
             ExecutorService custom = Executors.newSingleThreadExecutor(r -> new Thread(r, "replacement-default"))) {
            loop.setDefaultExecutor(custom);
            assertEquals("replacement-default", runOn(loop, null).threadName());
        }
    }

    @Test
    void exceptionOfTheTaskFailsTheFutureWithTheSameObject() {
        IllegalStateException boom = new IllegalStateException("in executor");
        try (IOLoop loop = new IOLoop()) {
            Throwable thrown = loop.runSync(() -> {
                Future<Object> f = loop.runInExecutor(null, () -> { throw boom; });
                return assertThrows(IllegalStateException.class, () -> await(f));
            }, TIMEOUT);
            assertSame(boom, thrown);
        }
    }

    /** addFuture runs its callback on the loop thread even when the future completes on another thread. */
    @Test
    void addFutureCallbackRunsOnTheLoopThread() {
        Thread loopThread = Thread.currentThread(); // runSync runs the loop on the calling thread
        try (IOLoop loop = new IOLoop()) {
            Thread[] ranOn = new Thread[2];
            boolean[] loopThreadFlag = new boolean[1];
            String value = loop.runSync(() -> {
                Future<String> f = new Future<>();
                Future<String> seen = new Future<>();
                loop.addFuture(f, done -> {
                    ranOn[0] = Thread.currentThread();
                    loopThreadFlag[0] = loop.inLoop();
                    seen.setResult(done.result());
                });
                Thread.ofPlatform().name("completer").start(() -> {
                    ranOn[1] = Thread.currentThread();
                    f.setResult("from another thread");
                });
                return await(seen);
            }, TIMEOUT);
            assertEquals("from another thread", value);
            assertSame(loopThread, ranOn[0]);
            assertNotSame(ranOn[1], ranOn[0]);
            assertTrue(loopThreadFlag[0]);
        }
    }

    /** Like Tornado's add_future, the callback of a future that is already done still waits for the loop. */
    @Test
    void addFutureOnADoneFutureRunsTheCallbackLater() {
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                Future<Integer> seen = new Future<>();
                loop.addFuture(Future.completed(7), done -> seen.setResult(done.result()));
                assertFalse(seen.isDone(), "not run synchronously");
                assertEquals(7, await(seen));
                return null;
            }, TIMEOUT);
        }
    }
}
