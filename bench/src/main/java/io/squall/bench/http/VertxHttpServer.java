package io.squall.bench.http;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Peer for the HTTP load comparison: Vert.x with one event loop, answering {@code Hello, world}, and
 * after a one-second timer on {@code /sleep}. Responses carry the {@code Date} header an origin server
 * must send (RFC 9110 §6.6.1), which Vert.x does not add: the loop formats it once a second, as Vert.x's
 * TechEmpower entry does.
 */
public final class VertxHttpServer {
    private static final Buffer HELLO = Buffer.buffer("Hello, world");

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
    /** The current {@code Date} value, refreshed on the event loop once a second. */
    private static volatile String date = formatDate();

    private VertxHttpServer() {}

    private static String formatDate() {
        return IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    private static void hello(HttpServerResponse response) {
        response.putHeader("Content-Type", "text/plain").putHeader("Date", date).end(HELLO);
    }

    /** Serves on port {@code args[0]} until killed. */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        vertx.createHttpServer(new HttpServerOptions().setAcceptBacklog(8192).setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> {
                    if (request.path().startsWith("/sleep")) {
                        vertx.setTimer(1000, id -> hello(request.response()));
                    } else {
                        hello(request.response());
                    }
                })
                .listen()
                .await();
        vertx.setPeriodic(1000, id -> date = formatDate());
    }
}
