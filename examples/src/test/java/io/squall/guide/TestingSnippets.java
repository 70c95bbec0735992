package io.squall.guide;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import io.squall.guide.TestingSnippets.EchoSocket;
import io.squall.guide.TestingSnippets.HelloHandler;
import io.squall.ioloop.IOLoop;
import io.squall.testing.ExpectLog;
import io.squall.testing.SquallTest;
import io.squall.testing.TestServer;
import io.squall.testing.TestWebSocket;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import io.squall.websocket.WebSocketHandler;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The snippets of docs/guide/testing.md (compiled, and run: the classes after this one are tests). */
final class TestingSnippets {
    private TestingSnippets() {}

    /** Answers {@code Hello, NAME} from the {@code name} argument. */
    static final class HelloHandler extends RequestHandler {
        @Override
        protected void get() {
            write("Hello, " + getArgument("name", "world"));
        }

        @Override
        protected void post() {
            get();
        }
    }

    /** Echoes every message, text or binary. */
    static final class EchoSocket extends WebSocketHandler {
        @Override
        protected void onMessage(String message) {
            writeMessage(message);
        }

        @Override
        protected void onMessage(byte[] message) {
            writeMessage(message);
        }
    }
}

/** The testing guide's loop test. */
// tag::loop-test[]
@SquallTest                                   // or @SquallTest(timeoutSeconds = 30)
class TimerTest {
    @Test
    void firesLater(IOLoop loop) {            // this test's own loop, closed after it with its channels
        Future<String> fired = new Future<>();
        loop.callLater(Duration.ofMillis(10), () -> fired.setResult("fired"));
        assertEquals("fired", await(fired));  // the method is a coroutine on that loop
    }
}
// end::loop-test[]

/** The testing guide's HTTP test. */
// tag::http-test[]
@SquallTest
class HelloTest {
    private TestServer server;

    @BeforeEach
    void serve() {                                      // on the loop, like the test
        server = TestServer.start(Application.builder().route("/", HelloHandler::new).build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void greets() {
        HttpResponse<String> response = server.fetch("/?name=Ann");
        assertEquals(200, response.statusCode());
        assertEquals("Hello, Ann", response.body());
        HttpResponse<String> posted = server.fetch(server.request("/")
                .POST(HttpRequest.BodyPublishers.ofString("name=Bob"))
                .header("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals("Hello, Bob", posted.body());
    }
}
// end::http-test[]

/** The testing guide's WebSocket test. */
@SquallTest
class GuideWebSocketTest {
    // tag::websocket-test[]
    @Test
    void echoes() throws Exception {
        try (TestServer server = TestServer.start(Application.builder().route("/echo", EchoSocket::new).build());
             TestWebSocket ws = server.websocket("/echo")) {
            ws.send("hello");
            assertEquals("hello", await(ws.readMessage()).text());
            ws.send(new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, await(ws.readMessage()).data());
            ws.close(1000, "done");
            assertNull(await(ws.readMessage()));     // null once the connection is closed
        }
    }
    // end::websocket-test[]
}

/** The testing guide's {@code ExpectLog} example. */
@SquallTest
class GuideExpectLogTest {
    @Test
    void notFoundIsLogged() {
        try (TestServer server = TestServer.start(Application.builder().route("/", HelloHandler::new).build())) {
            // tag::expect-log[]
            try (ExpectLog expect = ExpectLog.of("io.squall.web.access", Level.WARN, "404 GET")) {
                assertEquals(404, server.fetch("/missing").statusCode());
            }
            // end::expect-log[]
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
