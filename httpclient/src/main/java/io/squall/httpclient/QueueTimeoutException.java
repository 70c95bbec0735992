package io.squall.httpclient;

import java.time.Duration;

/**
 * The request waited for one of the client's {@code maxClients} slots longer than the lesser of its
 * connect and request timeouts, and was never sent. Message: "Timeout in request queue".
 */
public final class QueueTimeoutException extends HttpTimeoutException {
    private static final long serialVersionUID = 1L;

    QueueTimeoutException(Duration timeout, int maxClients, HttpRequest request) {
        super("Timeout in request queue: all " + maxClients + " connection slots stayed busy", FetchPhase.QUEUE,
                timeout, request, null);
    }
}
