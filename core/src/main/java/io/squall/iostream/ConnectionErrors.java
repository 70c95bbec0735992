package io.squall.iostream;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Set;

/**
 * Tells expected network failures from real errors, so that expected ones are not logged as errors:
 * Tornado's {@code _ERRNO_CONNRESET} check (ECONNRESET, ECONNABORTED, EPIPE, ETIMEDOUT).
 */
final class ConnectionErrors {
    private static final Set<String> DISCONNECT_MESSAGES = Set.of(
            "connection reset", "connection reset by peer", "broken pipe", "connection aborted",
            "software caused connection abort", "connection timed out",
            "an existing connection was forcibly closed by the remote host",
            "an established connection was aborted by the software in your host machine");

    private ConnectionErrors() {}

    /**
     * Whether {@code error}, or an error in its cause chain, is the peer going away: a reset, a broken
     * pipe, an aborted or timed-out connection, an end of stream or a closed channel. A refused
     * connection is not a disconnect; see {@link #isConnectFailure}.
     */
    static boolean isPeerDisconnect(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EOFException || t instanceof ClosedChannelException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && DISCONNECT_MESSAGES.contains(message.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code error} is a failure to connect: refused, or no route to the host. */
    static boolean isConnectFailure(Throwable error) {
        return error instanceof ConnectException || error instanceof NoRouteToHostException;
    }
}
