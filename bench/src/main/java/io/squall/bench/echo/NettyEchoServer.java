package io.squall.bench.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.squall.bench.netty.NettyTransport;

/**
 * The peer for the echo benchmark: a Netty echo server on one event loop, of Netty's native epoll
 * transport or of NIO, the selector transport Squall uses ({@link NettyTransport}), writing back every
 * buffer it reads and flushing once per read burst.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {}

    /** Runs the server on port {@code args[0]} with transport {@code args[1]} ({@code epoll} or {@code nio}) until killed. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: NettyEchoServer PORT epoll|nio");
        }
        int port = Integer.parseInt(args[0]);
        NettyTransport transport = NettyTransport.named(args[1]);
        EventLoopGroup group = transport.newGroup(1);
        try {
            new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new Echo())
                    .bind("127.0.0.1", port).sync()
                    .channel().closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
