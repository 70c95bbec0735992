package io.squall.httpclient;

import io.squall.http1.HeadReader;
import io.squall.ioloop.Timeout;
import io.squall.iostream.IOStream;

/** A connection of the client: its stream, what it may be reused for, and its pool state. */
final class ClientConnection {
    final PoolKey key;
    final IOStream stream;
    final HeadReader headReader;
    /** The timer that closes this connection once idle too long, while it is in the pool. */
    Timeout idleTimer;
    /** How many responses it has carried. */
    int responses;

    ClientConnection(PoolKey key, IOStream stream, int maxHeaderSize) {
        this.key = key;
        this.stream = stream;
        this.headReader = new HeadReader(stream, maxHeaderSize);
    }

    @Override
    public String toString() {
        return "connection to " + key.authority() + " (" + stream + ")";
    }
}
