package io.squall.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's callback queue: many producers, one consumer (the loop thread), lock-free and never
 * blocking (after Dmitry Vyukov's intrusive-stub MPSC queue). An offer is one CAS of the tail (retried
 * only when another producer got there first) and one release store; a poll is plain reads on the
 * consumer side.
 *
 * <p>The loop runs callbacks in batches: {@link #batchEnd()} marks the last callback queued so far,
 * and {@link #pollUpTo} stops after it, so callbacks queued while a batch runs wait for the next one
 * without a marker being queued.
 *
 * <p>{@link #close()} ends the queue for good: it puts a sentinel in the tail, so that every later
 * offer fails and tells its producer so, while every offer that came before is handed to the closer.
 * No offer falls between the two, which is how a coroutine step queued as its loop closes is never lost.
 */
final class CallbackQueue {
    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(CallbackQueue.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final class Node {
        Runnable task;
        @SuppressWarnings("unused") // through NEXT
        volatile Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }

    /** The tail of a closed queue. */
    private static final Node CLOSED = new Node(null);

    /** Consumer side: the node before the first unread one (its task is already taken). */
    private Node head = new Node(null);
    /** Producer side: the last node offered. */
    @SuppressWarnings("unused") // through TAIL
    private volatile Node tail = head;

    /**
     * Adds {@code task} and returns true, or returns false if the queue is closed; safe from any thread,
     * never blocks. One CAS of the tail: the tail is compared rather than swapped blindly so that the
     * closed sentinel stays there.
     */
    boolean offer(Runnable task) {
        Node node = new Node(task);
        for (;;) {
            Node previous = (Node) TAIL.getVolatile(this);
            if (previous == CLOSED) {
                return false;
            }
            if (TAIL.compareAndSet(this, previous, node)) {
                NEXT.setRelease(previous, node);
                return true;
            }
        }
    }

    /**
     * Whether nothing is queued. A task whose offer is half done may read as absent; its producer
     * checks for a sleeping loop after linking it, so it is never lost.
     */
    boolean isEmpty() {
        return NEXT.getAcquire(head) == null;
    }

    /** Loop thread: the last node queued now, to bound a batch with {@link #pollUpTo}. */
    Node batchEnd() {
        return (Node) TAIL.getVolatile(this);
    }

    /**
     * Loop thread: removes and returns the next task if it was queued no later than {@code end}, or
     * returns null (the batch is done, or the rest of it is not linked yet).
     */
    Runnable pollUpTo(Node end) {
        Node current = head;
        if (current == end) {
            return null;
        }
        Node next = (Node) NEXT.getAcquire(current);
        if (next == null) {
            return null;
        }
        head = next;
        Runnable task = next.task;
        next.task = null; // the node stays as the stub: let the task go
        return task;
    }

    /**
     * Loop thread: closes the queue (later offers fail) and returns the tasks still queued, in order,
     * waiting for the link of an offer that has taken the tail but not linked its node yet (a few
     * instructions of its producer). Closing a closed queue returns nothing.
     */
    List<Runnable> close() {
        Node last = (Node) TAIL.getAndSet(this, CLOSED);
        List<Runnable> rest = new ArrayList<>();
        if (last == CLOSED) {
            return rest;
        }
        Node current = head;
        while (current != last) {
            Node next;
            while ((next = (Node) NEXT.getAcquire(current)) == null) {
                Thread.yield(); // its producer is between its CAS and its link
            }
            current = next;
            rest.add(current.task);
            current.task = null;
        }
        head = current;
        return rest;
    }
}
