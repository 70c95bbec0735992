package io.squall.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop's callback queue: many producers, one consumer (the loop thread), lock-free and never
 * blocking (Dmitry Vyukov's intrusive-stub MPSC queue). An offer is one atomic exchange of the tail
 * and one release store; a poll is plain reads on the consumer side.
 *
 * <p>The loop runs callbacks in batches: {@link #batchEnd()} marks the last callback queued so far,
 * and {@link #pollUpTo} stops after it, so callbacks queued while a batch runs wait for the next one
 * without a marker being queued.
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

    /** Consumer side: the node before the first unread one (its task is already taken). */
    private Node head = new Node(null);
    /** Producer side: the last node offered. */
    @SuppressWarnings("unused") // through TAIL
    private volatile Node tail = head;

    /** Adds {@code task}; safe from any thread, never blocks. */
    void offer(Runnable task) {
        Node node = new Node(task);
        Node previous = (Node) TAIL.getAndSet(this, node);
        NEXT.setRelease(previous, node);
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

    /** Loop thread: drops every queued task. */
    void clear() {
        while (pollUpTo(batchEnd()) != null) {
            // drain
        }
    }
}
