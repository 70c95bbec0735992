package io.squall.testing;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.RequestStartLine;
import io.squall.http.ResponseStartLine;
import io.squall.httpserver.HttpServerConnectionDelegate;
import io.squall.ioloop.IOLoop;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kit on itself: a loop per test, test and before methods as coroutines, the time limit, the ERROR
 * check, {@link ExpectLog}, and {@link TestServer} against a raw core delegate. Sample classes that must
 * fail run through JUnit's engine test kit.
 */
@SquallTest
class SquallExtensionTest {
    static final Logger SQUALL_LOG = LoggerFactory.getLogger("io.squall.testing.sample");
    private static final List<IOLoop> loops = new ArrayList<>();
    private IOLoop loopSeenBefore;

    @BeforeEach
    void before(IOLoop loop) {
        loopSeenBefore = IOLoop.current(); // before methods run on the test's loop too
        assertSame(loop, loopSeenBefore);
    }

    @AfterAll
    static void everyTestHadItsOwnLoopClosedAfterIt() {
        assertEquals(loops.size(), loops.stream().distinct().count(), "a loop was shared: " + loops);
        assertTrue(loops.stream().allMatch(IOLoop::isClosed), "a loop outlived its test");
    }

    @Test
    void testMethodsAreCoroutinesOnTheirOwnLoop(IOLoop loop) {
        loops.add(loop);
        assertSame(loop, IOLoop.current());
        assertSame(loop, loopSeenBefore);
        assertFalse(loop.isClosed());
        await(sleep(Duration.ofMillis(1)));
        Future<String> later = new Future<>();
        loop.addCallback(() -> later.setResult("done"));
        assertEquals("done", await(later));
    }

    @Test
    void anotherTestGetsAnotherLoop(IOLoop loop) {
        loops.add(loop);
        loops.forEach(earlier -> assertTrue(earlier == loop || earlier.isClosed()));
    }

    @Test
    void fetchesFromAServedDelegate() throws Exception {
        try (TestServer server = TestServer.start(new Hello())) {
            HttpResponse<String> response = server.fetch("/greet");
            assertEquals(200, response.statusCode());
            assertEquals("hello GET /greet", response.body());
            HttpResponse<String> posted = server.fetch(server.request("/form").POST(HttpRequest.BodyPublishers.ofString("x")));
            assertEquals("hello POST /form", posted.body());
            assertEquals("http://127.0.0.1:" + server.port() + "/a?b", server.url("/a?b").toString());
        }
    }

    @Test
    void aWebSocketToAServerWithoutOneFailsToConnect() throws Exception {
        try (TestServer server = TestServer.start(new Hello())) {
            Exception e = assertThrows(TestWebSocket.WebSocketHandshakeException.class, () -> server.websocket("/ws"));
            assertTrue(e.getMessage().endsWith("/ws got HTTP 200 instead of 101"), e.getMessage());
        }
    }

    @Test
    void expectLogSwallowsWhatItExpects(LogCapture logs) {
        try (ExpectLog expect = ExpectLog.of(SQUALL_LOG.getName(), Level.ERROR, "expected failure")) {
            SQUALL_LOG.error("an expected failure");
            assertEquals(1, expect.matched());
        }
        assertEquals(List.of(), logs.errorsExceptAccessLog());
    }

    @Test
    void expectLogPassesOtherMessagesOn(LogCapture logs) {
        try (ExpectLog expect = ExpectLog.of("io.squall.testing", Level.ERROR, "expected failure")) {
            SQUALL_LOG.warn("something else");
            SQUALL_LOG.debug("not enabled, not passed on");
            SQUALL_LOG.error("an expected failure");
        }
        assertEquals(List.of("WARN something else"), logs.atLeast(Level.WARN));
    }

    @Test
    void expectLogFailsWhenNothingMatched() {
        ExpectLog expect = ExpectLog.of(SQUALL_LOG.getName(), Level.ERROR, "never");
        SQUALL_LOG.warn("never, but only a warning");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, expect::close);
        assertTrue(failure.getMessage().contains("to log \"never\" at ERROR"), failure.getMessage());
        try (ExpectLog optional = ExpectLog.optional(SQUALL_LOG.getName(), Level.ERROR, "never")) {
            assertEquals(0, optional.matched());
        }
    }

    /** Answers "hello METHOD TARGET" to every request. */
    private static final class Hello implements HttpServerConnectionDelegate {
        @Override
        public HttpMessageDelegate startRequest(HttpConnection connection) {
            return new HttpMessageDelegate() {
                private RequestStartLine request;

                @Override
                public Future<?> headersReceived(RequestStartLine startLine, HttpHeaders headers) {
                    request = startLine;
                    return null;
                }

                @Override
                public void finish() {
                    byte[] body = ("hello " + request.method() + " " + request.target()).getBytes(StandardCharsets.UTF_8);
                    connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"),
                            new HttpHeaders().set("Content-Length", String.valueOf(body.length)), ByteBuffer.wrap(body));
                    connection.finish();
                }
            };
        }
    }
}
