package io.squall.queues;

/** {@link Queue#putNowait(Object)} found the queue full (Tornado's {@code QueueFull}). */
public class QueueFullException extends RuntimeException {
    /** Creates the exception with a message describing the queue. */
    public QueueFullException(String message) {
        super(message);
    }
}
