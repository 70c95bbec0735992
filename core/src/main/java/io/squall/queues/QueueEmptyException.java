package io.squall.queues;

/** {@link Queue#getNowait()} found the queue empty (Tornado's {@code QueueEmpty}). */
public class QueueEmptyException extends RuntimeException {
    /** Creates the exception with a message describing the queue. */
    public QueueEmptyException(String message) {
        super(message);
    }
}
