package io.squall.web;

/**
 * Answers every request with an error page for one status (Tornado's {@code ErrorHandler}); the
 * application's default handler is {@code () -> new ErrorHandler(404)}.
 */
public class ErrorHandler extends RequestHandler {
    private final int errorStatus;

    /** A handler answering {@code status}. */
    public ErrorHandler(int status) {
        this.errorStatus = status;
    }

    /** Throws {@code new HttpError(status)}. */
    @Override
    protected void prepare() {
        throw new HttpError(errorStatus);
    }
}
