package io.squall.httpclient;

import io.squall.ioloop.IOLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle keep-alive connections by {@link PoolKey}. A connection goes in only after a response that left
 * it clean (see {@link Exchange}), and with no bytes received past that response; it leaves when taken,
 * when its idle time runs out, or when the server closes it (an idle stream still watches its socket, so
 * a close is noticed). A connection on which the server sent anything while it was idle (a stray
 * response, a 408 before a close) is closed rather than handed out, or those bytes would be read as the
 * next request's response. The most recently used connection is taken first, so that surplus
 * connections age out. Loop thread only.
 */
final class ConnectionPool {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    private final IOLoop loop;
    private final Duration idleTimeout;
    private final int maxIdlePerKey;
    private final Map<PoolKey, ArrayDeque<ClientConnection>> idle = new HashMap<>();
    private boolean closed;

    ConnectionPool(IOLoop loop, Duration idleTimeout, int maxIdlePerKey) {
        this.loop = loop;
        this.idleTimeout = idleTimeout;
        this.maxIdlePerKey = maxIdlePerKey;
    }

    /** An idle open connection for {@code key}, or null. */
    ClientConnection take(PoolKey key) {
        ArrayDeque<ClientConnection> connections = idle.get(key);
        if (connections == null) {
            return null;
        }
        for (ClientConnection c; (c = connections.pollLast()) != null; ) {
            c.idleTimer.cancel();
            c.stream.setCloseCallback(null);
            // Whatever reached the socket since the loop last polled counts too: one read, now.
            if (!c.stream.isClosed() && isSilent(c, c.stream.available())) {
                return c;
            }
            c.stream.close();
        }
        return null;
    }

    /**
     * Keeps {@code connection} for reuse, or closes it if the pool is full or closed, or if bytes came
     * after the response (with it, in the read that took its end: no system call needed to see them).
     */
    void release(ClientConnection connection) {
        if (closed || connection.stream.isClosed() || !isSilent(connection, connection.stream.bufferedBytes())) {
            connection.stream.close();
            return;
        }
        ArrayDeque<ClientConnection> connections = idle.computeIfAbsent(connection.key, k -> new ArrayDeque<>());
        if (connections.size() >= maxIdlePerKey) {
            connection.stream.close();
            return;
        }
        connections.addLast(connection);
        connection.idleTimer = loop.callLater(idleTimeout, () -> evict(connection));
        connection.stream.setCloseCallback(() -> evict(connection));
    }

    /** How many idle connections are kept (for tests and diagnostics). */
    int idleCount() {
        int n = 0;
        for (ArrayDeque<ClientConnection> connections : idle.values()) {
            n += connections.size();
        }
        return n;
    }

    /** Closes every idle connection; later releases close theirs. */
    void close() {
        closed = true;
        for (ArrayDeque<ClientConnection> connections : idle.values()) {
            for (ClientConnection c : connections) {
                c.idleTimer.cancel();
                c.stream.setCloseCallback(null);
                c.stream.close();
            }
        }
        idle.clear();
    }

    /**
     * Whether {@code connection}, for which {@code unasked} bytes arrived with no request pending, is still
     * fit for a request: open (a check of the socket may have met its end) and silent.
     */
    private static boolean isSilent(ClientConnection connection, int unasked) {
        if (unasked > 0) {
            LOG.debug("closing {}: {} bytes received with no request pending", connection, unasked);
            return false;
        }
        return !connection.stream.isClosed();
    }

    private void evict(ClientConnection connection) {
        ArrayDeque<ClientConnection> connections = idle.get(connection.key);
        if (connections != null && connections.remove(connection)) {
            connection.idleTimer.cancel();
            connection.stream.setCloseCallback(null);
            connection.stream.close();
            if (connections.isEmpty()) {
                idle.remove(connection.key);
            }
        }
    }
}
