package io.squall.queues;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A {@link Queue} that hands out the most recently put item first (Tornado's {@code LifoQueue}).
 *
 * @param <T> the type of the items
 */
public class LifoQueue<T> extends Queue<T> {
    /** Creates an unbounded stack-ordered queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * Creates a stack-ordered queue of at most {@code maxsize} items; 0 means unbounded.
     *
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public LifoQueue(int maxsize) {
        super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
    }
}
