package io.squall.iostream;

import java.io.IOException;

/**
 * A delimited read could not be satisfied within its {@code maxBytes}: Tornado's
 * {@code UnsatisfiableReadError}. The stream closes, and the pending read fails with a
 * {@link StreamClosedError} whose cause is this error.
 */
public class UnsatisfiableReadError extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the error with a message naming the delimiter and the limit. */
    public UnsatisfiableReadError(String message) {
        super(message);
    }
}
