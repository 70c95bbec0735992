package io.squall.httpclient;

/**
 * No TCP connection could be opened: refused ("Connection refused"), unreachable, or reset during the
 * connect. The cause is the socket error.
 */
public final class ConnectFailedException extends HttpClientException {
    private static final long serialVersionUID = 1L;

    ConnectFailedException(String target, HttpRequest request, Throwable cause) {
        super("Cannot connect to " + target + ": " + describe(cause), FetchPhase.CONNECT, request, cause);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
