package io.squall.bench.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.AsciiString;
import io.squall.bench.netty.NettyTransport;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * Peer for the HTTP load comparison: Netty on one event loop, of its native epoll transport or of NIO
 * ({@link NettyTransport}), with {@link HttpServerCodec} and {@link HttpObjectAggregator}, answering {@code Hello, world} on every path, and after a one-second timer on {@code /sleep}.
 * Responses carry the {@code Date} header an origin server must send (RFC 9110 §6.6.1), which the
 * codec does not add: the loop formats it once a second, as Netty's TechEmpower entry does.
 */
public final class NettyHttpServer {
    private static final byte[] HELLO = "Hello, world".getBytes(StandardCharsets.US_ASCII);

    /** The current {@code Date} value, refreshed on the event loop once a second. */
    private static volatile AsciiString date = formatDate();

    private NettyHttpServer() {}

    private static AsciiString formatDate() {
        return AsciiString.cached(DateFormatter.format(new Date()));
    }

    /** Serves on port {@code args[0]} with transport {@code args[1]} ({@code epoll} or {@code nio}) until killed. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: NettyHttpServer PORT epoll|nio");
        }
        int port = Integer.parseInt(args[0]);
        NettyTransport transport = NettyTransport.named(args[1]);
        EventLoopGroup group = transport.newGroup(1);
        group.scheduleAtFixedRate(() -> date = formatDate(), 1, 1, TimeUnit.SECONDS);
        try {
            new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 8192)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Hello());
                        }
                    })
                    .bind("127.0.0.1", port).sync().channel().closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (request.uri().startsWith("/sleep")) {
                ctx.executor().schedule(() -> {
                    respond(ctx, keepAlive);
                    ctx.flush();
                }, 1, TimeUnit.SECONDS);
            } else {
                respond(ctx, keepAlive); // flushed once the read is over (channelReadComplete)
            }
        }

        /** One flush for all the responses to what one read brought (pipelined requests), as Netty's TechEmpower entry does. */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        /** Writes the response (a keep-alive one is left for the caller to flush). */
        private static void respond(ChannelHandlerContext ctx, boolean keepAlive) {
            ByteBuf body = Unpooled.wrappedBuffer(HELLO);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, HELLO.length)
                    .set(HttpHeaderNames.DATE, date);
            if (keepAlive) {
                ctx.write(response);
            } else {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(f -> ctx.close());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

}
