package io.squall.queues;

import java.util.Comparator;
import java.util.Objects;

/**
 * A {@link Queue} that hands out its lowest item first, by natural order or a {@link Comparator}
 * (Tornado's {@code PriorityQueue}). Items with equal priority come out in no particular order; add a
 * sequence number to the priority if that matters. Items handed straight to a waiting consumer are not
 * compared.
 *
 * @param <T> the type of the items
 */
public class PriorityQueue<T> extends Queue<T> {
    /** Creates an unbounded queue ordered by the items' natural order (they must be {@link Comparable}). */
    public PriorityQueue() {
        this(0, null);
    }

    /** Creates a queue of at most {@code maxsize} items (0 = unbounded), in natural order. */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /** Creates an unbounded queue ordered by {@code comparator}. */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, Objects.requireNonNull(comparator, "comparator"));
    }

    /**
     * Creates a queue of at most {@code maxsize} items (0 = unbounded) ordered by {@code comparator}, or by
     * natural order if it is null.
     *
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, new java.util.PriorityQueue<>(comparator));
    }
}
