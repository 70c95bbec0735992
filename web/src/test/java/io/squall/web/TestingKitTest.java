package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import io.squall.testing.ExpectLog;
import io.squall.testing.SquallTest;
import io.squall.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The testing kit the way a user of the framework writes a test (docs/guide/testing.md): {@link SquallTest},
 * an {@link Application} on a {@link TestServer} started and stopped on the loop, {@link ExpectLog} for
 * the access log and for an application error.
 */
@SquallTest
class TestingKitTest {
    private TestServer server;

    /** Greets {@code name}; fails on {@code fail}. */
    static class HelloHandler extends RequestHandler {
        @Override
        protected void get() {
            if (getArgument("fail", null) != null) {
                throw new IllegalStateException("asked to fail");
            }
            write("Hello, " + getArgument("name", "world"));
        }

        @Override
        protected void post() {
            write("Hello, " + getBodyArgument("name", "nobody"));
        }
    }

    @BeforeEach
    void serve() {
        server = TestServer.start(Application.builder().route("/", HelloHandler::new).build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void fetchesFromTheApplication() {
        HttpResponse<String> response = server.fetch("/?name=Ann");
        assertEquals(200, response.statusCode());
        assertEquals("Hello, Ann", response.body());
        HttpResponse<String> posted = server.fetch(server.request("/")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=Bob")));
        assertEquals("Hello, Bob", posted.body());
    }

    @Test
    void expectsTheAccessLogLineOfA404() {
        try (ExpectLog expect = ExpectLog.of("io.squall.web.access", Level.WARN, "404 GET /missing")) {
            assertEquals(404, server.fetch("/missing").statusCode());
        }
    }

    @Test
    void anExpectedApplicationErrorDoesNotFailTheTest() {
        try (ExpectLog expect = ExpectLog.of("io.squall.web", Level.ERROR, "Uncaught exception GET /?fail=1")) {
            assertEquals(500, server.fetch("/?fail=1").statusCode());
        }
    }
}
