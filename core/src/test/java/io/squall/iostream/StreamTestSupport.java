package io.squall.iostream;

import io.squall.concurrent.Future;
import io.squall.gen.Coroutines.CoroutineBody;
import io.squall.ioloop.IOLoop;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh loop per test and small helpers for stream tests. */
abstract class StreamTestSupport {
    static final IOStreamOptions DEFAULTS = IOStreamOptions.DEFAULTS;

    IOLoop loop;

    @BeforeEach
    void newLoop() {
        loop = new IOLoop();
    }

    @AfterEach
    void closeLoop() {
        loop.close(true);
    }

    /** Runs {@code body} as a coroutine on the test's loop, failing after 30 s. */
    void run(CoroutineBody body) {
        loop.runSync(() -> {
            body.run();
            return null;
        }, Duration.ofSeconds(30));
    }

    /** A client and a server stream connected to each other. */
    record Pair(IOStream client, IOStream server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    /** A future completed by the stream's close callback. */
    static Future<Void> closed(IOStream stream) {
        Future<Void> closed = new Future<>();
        stream.setCloseCallback(() -> closed.setResult(null));
        return closed;
    }



}
