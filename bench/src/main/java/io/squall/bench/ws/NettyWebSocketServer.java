package io.squall.bench.ws;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Peer for the WebSocket echo comparison: Netty on one event loop thread (as Squall has one loop), with
 * {@link HttpServerCodec}, {@link HttpObjectAggregator} and {@link WebSocketServerProtocolHandler} on
 * {@code /ws} (which answers pings and closes), and a handler writing every text and binary frame back
 * as it came. Frames up to 1 MiB (64 KiB messages arrive as one frame), no compression, UTF-8 of text
 * frames checked (Netty's default). Run with {@code nio} (Netty's default transport) or {@code epoll}
 * (its native transport, the strongest ordinary configuration on Linux).
 */
public final class NettyWebSocketServer {
    private static final Echo ECHO = new Echo();

    private NettyWebSocketServer() {}

    /** Serves on port {@code args[0]} with transport {@code args[1]} ({@code nio} or {@code epoll}) until killed. */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        boolean epoll = switch (args.length > 1 ? args[1] : "nio") {
            case "epoll" -> true;
            case "nio" -> false;
            default -> throw new IllegalArgumentException("transport must be nio or epoll, not " + args[1]);
        };
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .decoderConfig(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(1 << 20).build())
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        try {
            new ServerBootstrap().group(group).channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                    new WebSocketServerProtocolHandler(config), ECHO);
                        }
                    })
                    .bind("127.0.0.1", port).sync().channel().closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Writes text and binary frames back (the frame itself, its buffer released once written). */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                ctx.writeAndFlush(msg, ctx.voidPromise());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
