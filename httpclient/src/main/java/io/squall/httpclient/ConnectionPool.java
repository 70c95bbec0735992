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
            if (isClean(c)) {
                return c;
            }
            c.stream.close();
        }
        return null;
    }

    /** Keeps {@code connection} for reuse, or closes it if the pool is full or closed. */
    void release(ClientConnection connection) {
        if (closed || !isClean(connection)) {
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

    /** Whether {@code connection} is open with nothing received that no request asked for. */
    private static boolean isClean(ClientConnection connection) {
        if (connection.stream.isClosed()) {
            return false;
        }
        int unasked = connection.stream.available();
        if (unasked > 0) {
            LOG.debug("closing {}: {} bytes received with no request pending", connection, unasked);
            return false;
        }
        return !connection.stream.isClosed(); // available() may have met the end of the stream
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
