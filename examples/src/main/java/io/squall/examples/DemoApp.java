package io.squall.examples;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;

import io.squall.web.Application;
import io.squall.web.RequestHandler;
import io.squall.websocket.WebSocketHandler;
import io.squall.websocket.WebSocketOptions;
import java.time.Duration;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo application behind {@code ./squall demo}:
 * <ul>
 *   <li>{@code /}: {@code Hello, world};</li>
 *   <li>{@code /sleep}: {@code Hello, world} after a one-second sleep that blocks no one (Tornado's
 *       {@code gen.sleep} handler: many clients at once still get their answers in about one second);</li>
 *   <li>{@code /echo}, any method: the request as JSON, {@code {"method", "uri", "version", "headers":
 *       [[name, value], ...], "body_b64"}}, headers in arrival order;</li>
 *   <li>{@code /login}, {@code /me}, {@code /logout}: a small signed-in site ({@link DemoSite});</li>
 *   <li>{@code /upload}: a form for files, answered with each file's name, size and SHA-256, and
 *       {@code /static/}: its style sheet, linked through a versioned URL (see {@link UploadDemo});</li>
 *   <li>{@code /ws/echo}: a WebSocket echoing text and binary messages (permessage-deflate offered,
 *       messages up to 64 MiB), for conformance tools such as the Autobahn test suite.</li>
 * </ul>
 * Responses of 1 KiB or more are gzipped for clients that accept it; HEAD works wherever GET does.
 */
public final class DemoApp {
    private DemoApp() {}

    /** Builds the application. */
    public static Application build() {
        return DemoSite.addTo(Application.builder()
                .compressResponse(true)
                .route("/", HelloHandler::new)
                .route("/sleep", SleepHandler::new)
                .route("/echo", EchoHandler::new)
                .route("/ws/echo", WebSocketEchoHandler::new)
                .route("/upload", UploadDemo.UploadHandler::new)
                .staticPath(UploadDemo.staticDirectory()))
                .build();
    }

    /** {@code Hello, world}. */
    static final class HelloHandler extends RequestHandler {
        @Override
        protected void get() {
            write("Hello, world");
        }
    }

    /** {@code Hello, world} after a non-blocking one-second sleep. */
    static final class SleepHandler extends RequestHandler {
        @Override
        protected void get() {
            await(sleep(Duration.ofSeconds(1)));
            write("Hello, world");
        }
    }

    /** Echoes WebSocket messages, text as text and binary as binary. */
    static final class WebSocketEchoHandler extends WebSocketHandler {
        private static final WebSocketOptions OPTIONS = WebSocketOptions.builder()
                .compression()
                .maxMessageSize(64 * 1024 * 1024)
                .build();

        @Override
        protected WebSocketOptions webSocketOptions() {
            return OPTIONS;
        }

        @Override
        protected void onMessage(String message) {
            await(writeMessage(message));
        }

        @Override
        protected void onMessage(byte[] message) {
            await(writeMessage(message));
        }
    }

    /** Echoes any request as JSON. */
    static final class EchoHandler extends RequestHandler {
        /** Every method token is served here. */
        private static final Set<String> ANY_METHOD = new AbstractSet<>() {
            @Override
            public boolean contains(Object o) {
                return o instanceof String;
            }

            @Override
            public Iterator<String> iterator() {
                return SUPPORTED_METHODS.iterator();
            }

            @Override
            public int size() {
                return SUPPORTED_METHODS.size();
            }
        };

        @Override
        protected Set<String> supportedMethods() {
            return ANY_METHOD;
        }

        /** A tool's endpoint that changes nothing: open to requests without the site's XSRF token. */
        @Override
        protected void checkXsrfCookie() {}

        @Override
        protected void get() {
            echo();
        }

        @Override
        protected void head() {
            echo();
        }

        @Override
        protected void post() {
            echo();
        }

        @Override
        protected void put() {
            echo();
        }

        @Override
        protected void delete() {
            echo();
        }

        @Override
        protected void patch() {
            echo();
        }

        @Override
        protected void options() {
            echo();
        }

        @Override
        protected void otherMethod(String method) {
            echo();
        }

        private void echo() {
            List<List<String>> headers = new ArrayList<>();
            request().headers().forEach((name, value) -> headers.add(List.of(name, value)));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("method", request().method());
            json.put("uri", request().uri());
            json.put("version", request().version());
            json.put("headers", headers);
            json.put("body_b64", Base64.getEncoder().encodeToString(request().body()));
            write(json);
        }
    }
}
