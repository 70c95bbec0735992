package io.squall.bench.micro;

import io.squall.ioloop.IOLoop;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One IOLoop per benchmark trial, driven with {@link IOLoop#runSync}. */
@State(Scope.Thread)
public class LoopState {
    /** The loop every benchmark method runs on. */
    public IOLoop loop;

    /** Creates the loop. */
    @Setup(Level.Trial)
    public void open() {
        loop = new IOLoop();
        loop.setBlockingLogThreshold(java.time.Duration.ZERO);
    }

    /** Closes the loop. */
    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }
}
