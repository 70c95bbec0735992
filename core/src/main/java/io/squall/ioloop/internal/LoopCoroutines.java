package io.squall.ioloop.internal;

import io.squall.ioloop.IOLoop;

/**
 * Internal: the loop's side of its coroutines, which the coroutine layer ({@code io.squall.gen}) reaches
 * through here rather than through {@link IOLoop}'s public API. {@link IOLoop} installs the one
 * implementation when it is initialized (as the JDK's own {@code SharedSecrets} do).
 */
public abstract class LoopCoroutines {
    private static volatile LoopCoroutines installed;

    /** For {@link IOLoop}'s implementation only. */
    protected LoopCoroutines() {}

    /**
     * Installs the implementation; called once, by {@link IOLoop}'s static initializer.
     *
     * @throws IllegalStateException if one is installed already
     */
    public static void install(LoopCoroutines implementation) {
        synchronized (LoopCoroutines.class) {
            if (installed != null) {
                throw new IllegalStateException("already installed");
            }
            installed = implementation;
        }
    }

    /** The implementation, initializing {@link IOLoop} (which installs it) if need be. */
    public static LoopCoroutines get() {
        LoopCoroutines access = installed;
        if (access == null) {
            try {
                Class.forName(IOLoop.class.getName(), true, IOLoop.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = installed;
        }
        return access;
    }

    /**
     * Queues the next step of a coroutine of {@code loop}, like {@link IOLoop#addCallback}: safe from
     * any thread, never blocks. Unlike a callback, a step is still taken while {@link IOLoop#close()}
     * finishes the loop's coroutines. Returns false once close() is done with them: nothing will run the
     * step then, and the coroutine must end by itself, off the loop.
     */
    public abstract boolean addStep(IOLoop loop, CoroutineTask step);

    /**
     * Loop only: records that {@code coroutine} has run a step on {@code loop} and not finished, so that
     * {@link IOLoop#close()} cancels it; returns the registration to pass to {@link #unregister}.
     */
    public abstract int register(IOLoop loop, CoroutineTask coroutine);

    /** Loop only: forgets a coroutine registered with {@link #register}, once it has finished. */
    public abstract void unregister(IOLoop loop, int registration);
}
