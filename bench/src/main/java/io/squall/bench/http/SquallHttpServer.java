package io.squall.bench.http;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;

import io.squall.httpserver.HttpServerOptions;
import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.time.Duration;

/**
 * Squall's side of the HTTP load comparison, written as a user would: an {@link Application} on one
 * loop with a handler answering {@code Hello, world}, and one that first awaits a one-second sleep
 * (the same two handlers as the Tornado peer). Access logging is off, as in the peers. An optional
 * second argument limits the open connections ({@code maxConnections}, for bench/scripts/maxconn.sh).
 */
public final class SquallHttpServer {
    private SquallHttpServer() {}

    /** Serves on port {@code args[0]} until killed, holding at most {@code args[1]} connections if given. */
    public static void main(String[] args) {
        IOLoop loop = new IOLoop();
        loop.makeCurrent();
        Application app = Application.builder()
                .route("/sleep", Sleep::new)
                .route("/.*", Hello::new)
                .logFunction(handler -> {})
                .build();
        HttpServerOptions options = args.length > 1
                ? HttpServerOptions.builder().maxConnections(Integer.parseInt(args[1])).build()
                : HttpServerOptions.DEFAULTS;
        app.listen(Integer.parseInt(args[0]), "127.0.0.1", options);
        loop.start();
    }

    /** {@code Hello, world}. */
    static final class Hello extends RequestHandler {
        @Override
        protected void get() {
            setHeader("Content-Type", "text/plain");
            write("Hello, world");
        }
    }

    /** {@code Hello, world} after a non-blocking one-second sleep. */
    static final class Sleep extends RequestHandler {
        @Override
        protected void get() {
            await(sleep(Duration.ofSeconds(1)));
            setHeader("Content-Type", "text/plain");
            write("Hello, world");
        }
    }
}
