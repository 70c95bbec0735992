package io.squall.bench.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Peer for the HTTP load comparison: Vert.x with one event loop, answering {@code Hello, world}, and
 * after a one-second timer on {@code /sleep}.
 */
public final class VertxHttpServer {
    private static final Buffer HELLO = Buffer.buffer("Hello, world");

    private VertxHttpServer() {}

    /** Serves on port {@code args[0]} until killed. */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        vertx.createHttpServer(new HttpServerOptions().setAcceptBacklog(8192).setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> {
                    if (request.path().startsWith("/sleep")) {
                        vertx.setTimer(1000, id -> request.response().putHeader("Content-Type", "text/plain").end(HELLO));
                    } else {
                        request.response().putHeader("Content-Type", "text/plain").end(HELLO);
                    }
                })
                .listen()
                .await();
    }
}
