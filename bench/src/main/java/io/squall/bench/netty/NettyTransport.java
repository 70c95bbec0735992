package io.squall.bench.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The I/O transport a Netty peer runs on: {@link #EPOLL}, Netty's native Linux transport (its strongest
 * ordinary configuration there), or {@link #NIO}, the JDK selector Squall itself uses. The benchmark
 * scripts run both, so that Squall is compared with Netty at its best and on the same footing.
 */
public enum NettyTransport {
    /** Netty's JNI epoll transport ({@code netty-transport-native-epoll}). */
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class),
    /** Netty's transport on the JDK's {@link java.nio.channels.Selector}. */
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class);

    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends ServerChannel> serverChannel;

    NettyTransport(Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> serverChannel) {
        this.handlers = handlers;
        this.serverChannel = serverChannel;
    }

    /**
     * The transport a command line names ({@code epoll} or {@code nio}). Asking for epoll where Netty
     * cannot load its native library fails here, with Netty's reason, instead of quietly measuring NIO.
     *
     * @throws IllegalArgumentException for any other name
     * @throws UnsatisfiedLinkError if epoll is asked for and unavailable
     */
    public static NettyTransport named(String name) {
        NettyTransport transport = switch (name.toLowerCase(Locale.ROOT)) {
            case "epoll" -> EPOLL;
            case "nio" -> NIO;
            default -> throw new IllegalArgumentException("unknown Netty transport " + name + " (epoll or nio)");
        };
        if (transport == EPOLL) {
            Epoll.ensureAvailability();
        }
        return transport;
    }

    /** A group of {@code threads} event loops on this transport. */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, handlers.get());
    }

    /** The listening channel class to give {@code ServerBootstrap.channel}. */
    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }
}
