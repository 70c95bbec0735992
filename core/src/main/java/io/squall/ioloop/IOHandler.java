package io.squall.ioloop;

import java.nio.channels.SelectableChannel;

/**
 * Called by the loop when a channel registered with {@link IOLoop#addHandler} is ready.
 *
 * <p>{@code events} is a mask of {@link IOLoop#READ} and {@link IOLoop#WRITE}. Java NIO reports
 * errors and hang-ups as readiness, so an error shows up as a READ or WRITE event whose operation
 * then fails; {@link IOLoop#ERROR} is never reported on its own.
 */
@FunctionalInterface
public interface IOHandler {
    /** Handles readiness of {@code channel}, exactly the object that was registered. */
    void onEvents(SelectableChannel channel, int events);
}
