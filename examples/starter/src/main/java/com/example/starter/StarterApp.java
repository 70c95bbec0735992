package com.example.starter;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;

import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.time.Duration;
import java.util.Map;

/** A one-route Squall application: {@code GET /?name=you} answers {@code {"hello":"you"}} as JSON. */
public final class StarterApp {
    private StarterApp() {
    }

    /** Greets the caller; a coroutine on the loop, so the short sleep holds up no other request. */
    static final class HelloHandler extends RequestHandler {
        @Override
        protected void get() {
            await(sleep(Duration.ofMillis(10)));
            write(Map.of("hello", getArgument("name", "world")));
        }
    }

    /** The application's routes and settings; {@link #main} and the test serve the same one. */
    public static Application application() {
        return Application.builder()
                .route("/", HelloHandler::new)
                .build();
    }

    /** Serves on {@code 127.0.0.1} at the port given as the first argument (8888 by default) until killed. */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        IOLoop loop = IOLoop.current();
        application().listen(port, "127.0.0.1");
        org.slf4j.LoggerFactory.getLogger(StarterApp.class).info("listening on http://127.0.0.1:{}/", port);
        loop.start();
    }
}
