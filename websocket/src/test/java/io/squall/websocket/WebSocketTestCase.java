package io.squall.websocket;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import io.squall.testing.LogCapture;
import io.squall.web.Application;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the WebSocket tests: serves an {@link Application} on 127.0.0.1 from the test's loop, runs
 * blocking clients on executor threads (awaited, so the loop keeps serving), and provides
 * {@link RecordingHandler}, a handler that records what it sees.
 */
abstract class WebSocketTestCase extends AsyncTestCase {
    protected Application app;
    protected int port;
    protected final LogCapture logs = LogCapture.start();
    private boolean errorsExpected;

    protected void serve(Application application) {
        app = application;
        port = application.listen(0, "127.0.0.1");
    }

    /** Serves {@code handler} at {@code /ws} (and {@code /ws/(.*)}). */
    protected void serve(Supplier<? extends WebSocketHandler> handler) {
        serve(Application.builder().route("/ws", handler).route("/ws/(.*)", handler).build());
    }

    protected void expectErrors() {
        errorsExpected = true;
    }

    /** Runs {@code body} on an executor thread and awaits its result. */
    protected <T> T blocking(Callable<T> body) {
        return await(loop.runInExecutor(null, body));
    }

    @AfterEach
    void stopServing() {
        try {
            if (app != null) {
                loop.runSync(() -> {
                    app.close();
                    return null;
                }, TEST_TIMEOUT);
            }
            if (!errorsExpected) {
                assertEquals(List.of(), logs.events().stream()
                        .filter(e -> e.getLevel() == Level.ERROR && !e.getLoggerName().endsWith(".access"))
                        .map(ILoggingEvent::getFormattedMessage).toList(), "unexpected errors logged");
            }
        } finally {
            logs.close();
        }
    }

    /** Records its events ({@code open:args}, {@code text:...}, {@code binary:N}, {@code ping:...}, {@code close:code:reason}). */
    static class RecordingHandler extends WebSocketHandler {
        final Recorded recorded;
        final WebSocketOptions options;

        RecordingHandler(Recorded recorded, WebSocketOptions options) {
            this.recorded = recorded;
            this.options = options;
        }

        RecordingHandler(Recorded recorded) {
            this(recorded, WebSocketOptions.DEFAULTS);
        }

        @Override
        protected WebSocketOptions webSocketOptions() {
            return options;
        }

        @Override
        protected void open(List<String> pathArgs) throws Exception {
            recorded.handler = this;
            recorded.events.add("open:" + pathArgs);
            recorded.opened.trySetResult(this);
        }

        @Override
        protected void onMessage(String message) throws Exception {
            recorded.events.add("text:" + message);
            writeMessage(message);
        }

        @Override
        protected void onMessage(byte[] message) throws Exception {
            recorded.events.add("binary:" + message.length);
            writeMessage(message);
        }

        @Override
        protected void onPing(byte[] payload) {
            recorded.events.add("ping:" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        protected void onPong(byte[] payload) {
            recorded.events.add("pong:" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        protected void onClose() {
            recorded.events.add("close:" + closeCode() + ":" + closeReason());
            recorded.closes++;
            recorded.closed.trySetResult(null);
        }
    }

    /** What a {@link RecordingHandler} saw. */
    static final class Recorded {
        final List<String> events = new ArrayList<>();
        final Future<WebSocketHandler> opened = new Future<>();
        final Future<Void> closed = new Future<>();
        int closes;
        WebSocketHandler handler;
    }
}
