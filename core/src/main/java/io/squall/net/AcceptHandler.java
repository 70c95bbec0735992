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

/** The loop handler behind {@link NetUtil#addAcceptHandler}: a bounded batch of accepts per event. */
final class AcceptHandler implements IOHandler {
    /** How long accepting pauses after {@code accept()} fails, so a persistent error does not spin the loop. */
    static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(AcceptHandler.class);

    private final IOLoop loop;
    private final ServerSocketChannel server;
    private final BiConsumer<SocketChannel, SocketAddress> callback;
    private boolean removed;
    private Timeout resume;

    AcceptHandler(IOLoop loop, ServerSocketChannel server, BiConsumer<SocketChannel, SocketAddress> callback) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.server = Objects.requireNonNull(server, "server");
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    @Override
    public void onEvents(SelectableChannel channel, int events) {
        for (int i = 0; i < NetUtil.ACCEPTS_PER_EVENT && !removed; i++) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                remove();
                return;
            } catch (IOException e) {
                pause(e);
                return;
            }
            if (connection == null) {
                return; // every pending connection has been accepted
            }
            deliver(connection);
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
            return;
        }
        try {
            callback.accept(connection, remote);
        } catch (RuntimeException e) {
            LOG.error("Error in connection callback for {}; closing the connection", remote, e);
            closeQuietly(connection);
        }
    }

    private void pause(IOException error) {
        LOG.error("accept() failed on {}; pausing accepts for {} ms", server, ERROR_PAUSE.toMillis(), error);
        loop.updateHandler(server, 0);
        resume = loop.callLater(ERROR_PAUSE, () -> {
            resume = null;
            if (!removed && server.isOpen()) {
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
