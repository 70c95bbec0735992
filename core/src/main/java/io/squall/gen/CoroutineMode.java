package io.squall.gen;

/** How coroutines are run in this JVM; see {@link Coroutines#mode()}. */
public enum CoroutineMode {
    /**
     * Each coroutine is a virtual thread whose scheduler is its loop: its code runs on the loop thread
     * itself, and an await costs a fraction of a microsecond. Needs
     * {@code --add-opens java.base/java.lang=ALL-UNNAMED}.
     */
    LOOP_CARRIER,
    /**
     * Fallback when the JVM does not open {@code java.lang}: each coroutine is a virtual thread on the
     * JDK's default scheduler, and the loop hands it a baton, so that still only one piece of a loop's
     * code runs at a time. Correct, but each await costs two thread wake-ups (microseconds), and
     * coroutine code runs on a carrier thread rather than the loop thread.
     */
    HAND_OFF
}
