package io.squall.net;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The count of a server's open connections against its {@code maxConnections}, shared by the accept
 * handlers of all its loops. An accept handler takes a slot before each {@code accept()}; at the limit
 * it stops accepting ({@link #park}), and the close that frees a slot wakes every parked handler. New
 * connections meanwhile wait in the kernel's listen queue, as they do for a busy server, instead of
 * being accepted only to be closed.
 */
final class ConnectionLimit {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    /** Accept handlers that stopped at the limit; guarded by {@code this}. */
    private final List<AcceptHandler> parked = new ArrayList<>();

    ConnectionLimit(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive: " + max);
        }
        this.max = max;
    }

    /** Takes a slot for a connection about to be accepted; false at the limit. Any thread. */
    boolean tryAcquire() {
        for (int n = open.get(); n < max; n = open.get()) {
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parks {@code handler}, which found no slot, until one is released; false (not parked) if one was
     * released meanwhile, so that the handler tries again.
     */
    synchronized boolean park(AcceptHandler handler) {
        if (open.get() < max) {
            return false;
        }
        parked.add(handler);
        return true;
    }

    /** Gives a slot back (its connection closed, or the accept found nothing) and wakes the parked handlers. */
    void release() {
        if (open.getAndDecrement() < max) {
            return; // nobody can be parked: parking needs the count at the limit
        }
        List<AcceptHandler> wake;
        synchronized (this) {
            wake = List.copyOf(parked);
            parked.clear();
        }
        wake.forEach(AcceptHandler::resumeAccepting);
    }

    /** How many connections hold a slot now. */
    int open() {
        return open.get();
    }
}
