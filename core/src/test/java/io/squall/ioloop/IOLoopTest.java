package io.squall.ioloop;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.iostream.IOStreamOptions;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The loop's life cycle: start, stop, restart, close, and which loop is current (ioloop_test items 9, 11, 16). */
class IOLoopTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void startOnARunningLoopThrowsInsteadOfDeadlocking() {
        try (IOLoop loop = new IOLoop()) {
            Throwable thrown = loop.runSync(() -> {
                Future<Throwable> outcome = new Future<>();
                loop.addCallback(() -> {
                    try {
                        loop.start();
                        outcome.setResult(null);
                    } catch (Throwable t) {
                        outcome.setResult(t);
                    }
                });
                return await(outcome);
            }, TIMEOUT);
            assertInstanceOf(IllegalStateException.class, thrown);
            assertEquals(42, loop.runSync(() -> 42, TIMEOUT), "the loop still works afterwards");
        }
    }

    @Test
    void loopIsCurrentOnlyWhileItRuns() {
        try (IOLoop loop = new IOLoop()) {
            for (int round = 0; round < 2; round++) {
                assertNotSame(loop, IOLoop.currentOrNull(), "not current before start");
                AtomicReference<IOLoop> inCallback = new AtomicReference<>();
                loop.addCallback(() -> {
                    inCallback.set(IOLoop.current());
                    loop.stop();
                });
                loop.start();
                assertSame(loop, inCallback.get(), "current while running");
                assertNotSame(loop, IOLoop.currentOrNull(), "not current after it stops");
            }
        }
    }

    @Test
    void makeCurrentLastsUntilCloseAndOnlyOnThatThread() throws Exception {
        IOLoop loop = new IOLoop();
        try {
            loop.makeCurrent();
            assertSame(loop, IOLoop.current());
            AtomicReference<IOLoop> elsewhere = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> elsewhere.set(IOLoop.currentOrNull()));
            t.join(TIMEOUT);
            assertNull(elsewhere.get(), "another thread does not see it");
        } finally {
            loop.close();
        }
        assertNotSame(loop, IOLoop.currentOrNull(), "closing the loop clears it");
    }

    @Test
    void stopFromAnotherThreadEndsStartThread() throws Exception {
        try (IOLoop loop = new IOLoop()) {
            CountDownLatch running = new CountDownLatch(1);
            loop.addCallback(running::countDown);
            Thread thread = loop.startThread("ioloop-test-stop");
            assertTrue(running.await(10, TimeUnit.SECONDS));
            assertTrue(loop.isRunning());
            loop.stop();
            assertTrue(thread.join(TIMEOUT), "the loop thread returned from start()");
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void callbacksQueuedWhenTheLoopStopsRunOnTheNextStart() {
        try (IOLoop loop = new IOLoop()) {
            List<String> ran = new ArrayList<>();
            loop.addCallback(() -> {
                loop.stop();
                loop.addCallback(() -> ran.add("queued"));
            });
            loop.start();
            assertEquals(List.of(), ran);
            loop.addCallback(loop::stop);
            loop.start();
            assertEquals(List.of("queued"), ran);
        }
    }

    @Test
    void closeRejectsARunningLoopAndIsIdempotent() {
        IOLoop loop = new IOLoop();
        Throwable thrown = loop.runSync(() -> {
            try {
                loop.close();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }, TIMEOUT);
        assertInstanceOf(IllegalStateException.class, thrown);
        assertFalse(loop.isClosed());
        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
        assertThrows(IllegalStateException.class, loop::start);
        loop.addCallback(() -> fail("callbacks added after close are dropped")); // and do not throw
    }

    /** Loop-only methods assert that they run on their loop (or while it is not running); the tests run with -ea. */
    @Test
    void loopOnlyMethodsAssertThatTheyRunOnTheirLoop() throws Exception {
        assertTrue(IOLoop.class.desiredAssertionStatus(), "the tests run with assertions on (-ea)");
        Pipe pipe = Pipe.open();
        try (IOLoop loop = new IOLoop(); Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink();
             SocketChannel unconnected = SocketChannel.open()) {
            assertFalse(loop.inLoop());
            assertTrue(loop.inLoopOrNotRunning(), "before start, any thread may set the loop up");
            loop.callLater(Duration.ofHours(1), () -> {}).cancel();
            IOStream stream = new IOStream(unconnected, loop, IOStreamOptions.DEFAULTS);

            CountDownLatch running = new CountDownLatch(1);
            loop.addCallback(running::countDown);
            Thread loopThread = loop.startThread("ioloop-test-confinement");
            assertTrue(running.await(10, TimeUnit.SECONDS));
            assertFalse(loop.inLoop());
            assertFalse(loop.inLoopOrNotRunning());
            AssertionError timer = assertThrows(AssertionError.class, () -> loop.callLater(Duration.ofSeconds(1), () -> {}));
            assertTrue(timer.getMessage().contains("callAt"), timer.getMessage());
            assertThrows(AssertionError.class, () -> loop.addHandler(source, (channel, events) -> {}, IOLoop.READ));
            assertThrows(AssertionError.class, () -> stream.write(new byte[1]));
            assertThrows(AssertionError.class, stream::close);
            Future<List<Boolean>> onTheLoop = new Future<>();
            loop.addCallback(() -> onTheLoop.setResult(List.of(loop.inLoop(), loop.inLoopOrNotRunning())));
            assertEquals(List.of(true, true), await(onTheLoop));

            loop.stop();
            assertTrue(loopThread.join(TIMEOUT));
            assertTrue(loop.inLoopOrNotRunning(), "after stop, any thread may tear the loop down");
            stream.close();
        }
    }

    /** ioloop_test item 11: addCallback racing close() on another thread never throws; the callbacks are dropped. */
    @Test
    void addCallbackRacingCloseNeverThrows() throws Exception {
        IOLoop loop = new IOLoop();
        CountDownLatch racerCallbacksRan = new CountDownLatch(100);
        AtomicBoolean closed = new AtomicBoolean();
        AtomicReference<Throwable> racerError = new AtomicReference<>();
        Runnable callback = racerCallbacksRan::countDown;
        Thread racer = Thread.ofPlatform().name("ioloop-test-racer").start(() -> {
            try {
                int afterClose = 0;
                for (int i = 0; i < 1_000_000 && afterClose < 10_000; i++) {
                    loop.addCallback(callback);
                    if (closed.get()) {
                        afterClose++;
                    }
                }
            } catch (Throwable t) {
                racerError.set(t);
            }
        });
        Thread loopThread = loop.startThread("ioloop-test-closing");
        assertTrue(racerCallbacksRan.await(10, TimeUnit.SECONDS), "the loop ran the racer's callbacks");
        loop.stop();
        assertTrue(loopThread.join(TIMEOUT));
        loop.close(true);
        closed.set(true);
        assertTrue(racer.join(TIMEOUT));
        assertNull(racerError.get(), () -> "addCallback threw: " + racerError.get());
    }
}
