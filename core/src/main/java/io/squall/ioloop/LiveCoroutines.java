package io.squall.ioloop;

import io.squall.ioloop.internal.CoroutineTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The coroutines that have run a step on a loop and not finished, which {@link IOLoop#close()} must
 * cancel. Loop-confined. Each coroutine keeps the slot it was given, so removing it is as cheap as
 * adding it (no search, no hashing); freed slots are reused.
 */
final class LiveCoroutines {
    private CoroutineTask[] slots = new CoroutineTask[4];
    /** A stack of the freed slots below {@link #used}. */
    private int[] free = new int[4];
    private int freeCount;
    /** Slots ever handed out: the high-water mark. */
    private int used;
    private int size;

    /** Adds {@code coroutine} and returns its slot. */
    int add(CoroutineTask coroutine) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == slots.length) {
                slots = Arrays.copyOf(slots, used * 2);
                free = Arrays.copyOf(free, used * 2);
            }
            slot = used++;
        }
        slots[slot] = coroutine;
        size++;
        return slot;
    }

    /** Removes the coroutine in {@code slot}. */
    void remove(int slot) {
        slots[slot] = null;
        free[freeCount++] = slot;
        size--;
    }

    int size() {
        return size;
    }

    /** The coroutines now live, in no particular order. */
    List<CoroutineTask> snapshot() {
        List<CoroutineTask> live = new ArrayList<>(size);
        for (int i = 0; i < used; i++) {
            if (slots[i] != null) {
                live.add(slots[i]);
            }
        }
        return live;
    }
}
