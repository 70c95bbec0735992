package io.squall.httpclient;

import io.squall.iostream.StreamClosedError;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Unwrapping of the wrappers errors pick up on their way through futures and streams. */
final class Exceptions {
    private Exceptions() {}

    /** The error inside {@link CompletionException} and {@link ExecutionException} wrappers. */
    static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Like {@link #unwrap}, also looking inside {@link StreamClosedError} and {@link UncheckedIOException}. */
    static Throwable rootCause(Throwable e) {
        e = unwrap(e);
        while ((e instanceof StreamClosedError || e instanceof UncheckedIOException) && e.getCause() != null) {
            e = unwrap(e.getCause());
        }
        return e;
    }
}
