package io.squall.iostream;

import java.io.IOException;

/**
 * A stream buffer limit was reached: Tornado's {@code StreamBufferFullError}.
 *
 * <p>On the read side it is the reason a stream closed (the {@link StreamClosedError#getCause() cause}
 * of the failed read) when a pending read could not complete within
 * {@link IOStreamOptions#maxBufferSize()}. On the write side it fails a write that would take the queue
 * of unsent bytes past {@link IOStreamOptions#maxWriteBufferSize()}; the stream stays open then.
 *
 * <p>It is a checked exception (so that it can be the cause of a {@link StreamClosedError}): a write
 * future that fails with it makes {@code await} throw a {@link java.util.concurrent.CompletionException}
 * whose cause it is.
 */
public class StreamBufferFullError extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the error with a message naming the limit. */
    public StreamBufferFullError(String message) {
        super(message);
    }
}
