package io.squall.ioloop.internal;

/**
 * A loop callback that resumes a coroutine. The loop's blocked-loop watchdog uses it to log the
 * coroutine's own stack, not only the loop thread's, when a coroutine step holds the loop too long.
 */
public interface CoroutineTask extends Runnable {
    /** The virtual thread of the coroutine this task resumes. */
    Thread coroutineThread();
}
