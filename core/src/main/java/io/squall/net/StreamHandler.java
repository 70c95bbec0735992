package io.squall.net;

import io.squall.iostream.IOStream;
import java.net.SocketAddress;

/**
 * Serves one accepted connection of a {@link TcpServer}. It runs as a coroutine on the connection's
 * loop, so it may {@code await}; an exception it throws is logged and the stream is closed.
 */
@FunctionalInterface
public interface StreamHandler {
    /** Handles the connection: {@code stream} is connected (and, with TLS, handshaking) to {@code address}. */
    void handleStream(IOStream stream, SocketAddress address) throws Exception;
}
