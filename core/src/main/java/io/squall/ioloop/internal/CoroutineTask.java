package io.squall.ioloop.internal;

import io.squall.ioloop.IOLoop;

/**
 * A coroutine as its loop sees it: the loop callback that runs its next step. The coroutine runtime
 * ({@code io.squall.gen}) queues it with {@link LoopCoroutines#addStep} and registers it with
 * {@link LoopCoroutines#register} while it is alive, so that {@link IOLoop#close()} can cancel it. The
 * loop's blocked-loop watchdog logs the coroutine's own stack, not only the loop thread's, when a
 * coroutine step holds the loop too long.
 */
public interface CoroutineTask extends Runnable {
    /** The virtual thread of the coroutine this task resumes. */
    Thread coroutineThread();

    /**
     * Called on the loop by {@link IOLoop#close()} for each registered coroutine: the loop is closing
     * ({@link IOLoop#isClosed()} is already true, so every await of the coroutine throws a
     * {@link java.util.concurrent.CancellationException} from now on); the coroutine must wake, so that
     * the await it is suspended in throws, and queue its next step, which the loop runs with the rest of
     * the coroutine (its {@code finally} blocks) before it finishes closing.
     */
    void loopClosing();
}
