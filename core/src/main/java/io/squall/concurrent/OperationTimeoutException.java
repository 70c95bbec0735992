package io.squall.concurrent;

/**
 * An operation did not complete before its deadline: Tornado's {@code TimeoutError}.
 *
 * <p>Raised by {@code IOLoop.runSync} with a timeout, {@code Coroutines.withTimeout}, and the timed
 * waits of locks and queues. Unchecked, so that it propagates through {@code await} as raised.
 */
public class OperationTimeoutException extends RuntimeException {
    /** Creates the exception with a message that says what timed out. */
    public OperationTimeoutException(String message) {
        super(message);
    }
}
