package io.squall.net;

import io.squall.ioloop.IOHandler;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop handler behind {@link NetUtil#addAcceptHandler}: a bounded batch of accepts per event, and
 * with a {@link ConnectionLimit}, no accept beyond it (the slot a connection takes is the callback's to
 * release when the connection closes).
 */
final class AcceptHandler implements IOHandler {
    /** How long accepting pauses after {@code accept()} fails, so a persistent error does not spin the loop. */
    static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(AcceptHandler.class);

    private final IOLoop loop;
    private final ServerSocketChannel server;
    private final BiConsumer<SocketChannel, SocketAddress> callback;
    /** The server's connection limit, or null for none. */
    private final ConnectionLimit limit;
    private final Runnable resumeOnLoop = this::resumeIfParked;
    private boolean removed;
    /** Whether accepting stopped at the connection limit. */
    private boolean parked;
    private Timeout resume;

    AcceptHandler(IOLoop loop, ServerSocketChannel server, BiConsumer<SocketChannel, SocketAddress> callback,
                  ConnectionLimit limit) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.server = Objects.requireNonNull(server, "server");
        this.callback = Objects.requireNonNull(callback, "callback");
        this.limit = limit;
    }

    @Override
    public void onEvents(SelectableChannel channel, int events) {
        for (int i = 0; i < NetUtil.ACCEPTS_PER_EVENT && !removed; i++) {
            if (limit != null && !limit.tryAcquire()) {
                if (limit.park(this)) {
                    parked = true;
                    loop.updateHandler(server, 0);
                    return;
                }
                continue; // a connection closed meanwhile: try again
            }
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                release();
                remove();
                return;
            } catch (IOException e) {
                release();
                pause(e);
                return;
            }
            if (connection == null) {
                release();
                return; // every pending connection has been accepted
            }
            deliver(connection);
        }
    }

    /** Called by the {@link ConnectionLimit} from any thread once a slot is free: accepting resumes on the loop. */
    void resumeAccepting() {
        loop.addCallback(resumeOnLoop);
    }

    private void resumeIfParked() {
        if (parked) {
            parked = false;
            if (!removed && resume == null && server.isOpen()) {
                loop.updateHandler(server, IOLoop.READ);
            }
        }
    }

    private void release() {
        if (limit != null) {
            limit.release();
        }
    }

    private void deliver(SocketChannel connection) {
        SocketAddress remote;
        try {
            connection.configureBlocking(false);
            remote = connection.getRemoteAddress();
        } catch (IOException e) {
            LOG.debug("dropping a connection that failed right after accept on {}", server, e);
            closeQuietly(connection);
            release();
            return;
        }
        try {
            callback.accept(connection, remote);
        } catch (RuntimeException e) {
            LOG.error("Error in connection callback for {}; closing the connection", remote, e);
            closeQuietly(connection);
            release();
        }
    }

    private void pause(IOException error) {
        LOG.error("accept() failed on {}; pausing accepts for {} ms", server, ERROR_PAUSE.toMillis(), error);
        loop.updateHandler(server, 0);
        resume = loop.callLater(ERROR_PAUSE, () -> {
            resume = null;
            if (!removed && !parked && server.isOpen()) {
                loop.updateHandler(server, IOLoop.READ);
            }
        });
    }

    void remove() {
        if (removed) {
            return;
        }
        removed = true;
        if (resume != null) {
            resume.cancel();
            resume = null;
        }
        loop.removeHandler(server);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("error closing {}", channel, e);
        }
    }
}
