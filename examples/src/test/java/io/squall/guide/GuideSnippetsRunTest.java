package io.squall.guide;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.squall.concurrent.Future;
import io.squall.httpserver.HttpServer;
import io.squall.ioloop.IOLoop;
import io.squall.net.TcpServer;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the guides' snippets against real sockets on 127.0.0.1. */
class GuideSnippetsRunTest {
    @Test
    void loopAndCoroutines() {
        assertEquals("done", LoopAndCoroutinesSnippets.runOnAFreshLoop());
        try (IOLoop loop = new IOLoop()) {
            loop.runSync(() -> {
                assertEquals(List.of(1, 4, 9), LoopAndCoroutinesSnippets.squaresAtOnce());
                assertEquals("quick", LoopAndCoroutinesSnippets.fastOrFallback(spawn(() -> "quick")));
                Future<String> never = new Future<>();
                assertEquals("fallback", LoopAndCoroutinesSnippets.fastOrFallback(never));
                assertEquals(List.of("a", "b", "c"), LoopAndCoroutinesSnippets.producerConsumer());
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(new byte[] {1, 2, 3});
                assertEquals(crc.getValue(), LoopAndCoroutinesSnippets.checksumOffTheLoop(new byte[] {1, 2, 3}));
                return null;
            });
        }
    }

    @Test
    void echoServerAndClient() {
        try (IOLoop loop = new IOLoop(); TcpServer server = StreamsSnippets.echoServer()) {
            loop.runSync(() -> {
                int port = server.listen(0, "127.0.0.1");
                assertEquals("ping\n", StreamsSnippets.askEcho(port));
                return null;
            });
        }
    }

    /** Answers {@code /} with {@code hi} and echoes a POST to {@code /echo}. */
    static final class Target extends RequestHandler {
        @Override
        protected void get() {
            await(sleep(Duration.ofMillis(1)));
            write("hi");
        }

        @Override
        protected void post() {
            write(request().body());
        }
    }

    @Test
    void httpServerDelegateAndClient() {
        try (IOLoop loop = new IOLoop(); HttpServer counter = HttpServerSnippets.byteCounter();
             Application app = Application.builder().route("/", Target::new).route("/echo", Target::new).build()) {
            loop.runSync(() -> {
                int counterPort = counter.listen(0, "127.0.0.1");
                int appPort = app.listen(0, "127.0.0.1");
                String base = "http://127.0.0.1:" + appPort;
                assertEquals("0\n", HttpClientSnippets.fetchText("http://127.0.0.1:" + counterPort + "/"));
                assertEquals("hi", HttpClientSnippets.fetchText(base + "/"));
                assertEquals("failed with 404", HttpClientSnippets.fetchText(base + "/missing"));
                assertEquals(List.of(200, 200, 200), HttpClientSnippets.postThenFetchTwice(base));
                int status = await(loop.runInExecutor(null, () -> HttpClientSnippets.blockingStatus(base + "/")));
                assertEquals(200, status);
                return null;
            });
        }
    }

    @Test
    void webSocketServerAndClient() {
        try (IOLoop loop = new IOLoop(); Application app = WebSocketSnippets.chatApplication()) {
            loop.runSync(() -> {
                int port = app.listen(0, "127.0.0.1");
                assertEquals("{\"echo\":\"hello\"}", WebSocketSnippets.client("ws://127.0.0.1:" + port + "/chat/lobby"));
                return null;
            });
        }
    }
}
