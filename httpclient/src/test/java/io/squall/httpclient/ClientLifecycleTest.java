package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.ioloop.IOLoop;
import org.junit.jupiter.api.Test;

/**
 * Which client a caller gets and when it closes (simple_httpclient_test item 22): {@code current()} per
 * loop, {@code create()} apart, closing either way; plus connection reuse and {@link BlockingHttpClient}.
 */
class ClientLifecycleTest extends HttpClientTestCase {
    @Test
    void currentIsOnePerLoop() {
        AsyncHttpClient current = loop.runSync(AsyncHttpClient::current);
        assertSame(current, loop.runSync(AsyncHttpClient::current));
        assertSame(loop, current.loop());
        assertSame(HttpClientOptions.DEFAULTS, current.options());
        AsyncHttpClient created = closeLater(loop.runSync(AsyncHttpClient::create));
        assertNotSame(current, created);
        assertSame(loop, created.loop());
        try (IOLoop other = new IOLoop()) {
            AsyncHttpClient elsewhere = other.runSync(AsyncHttpClient::current);
            assertNotSame(current, elsewhere);
            assertSame(other, elsewhere.loop());
        }
    }

    @Test
    void closingCurrentMakesANewOne() {
        AsyncHttpClient first = loop.runSync(AsyncHttpClient::current);
        first.close();
        first.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> first.fetch("http://127.0.0.1/"));
        AsyncHttpClient second = loop.runSync(AsyncHttpClient::current);
        assertNotSame(first, second);
        assertSame(second, loop.runSync(AsyncHttpClient::current));
    }

    @Test
    void closingTheLoopClosesItsClient() {
        IOLoop other = new IOLoop();
        AsyncHttpClient current = other.runSync(AsyncHttpClient::current);
        AsyncHttpClient created = other.runSync(AsyncHttpClient::create);
        other.close();
        assertThrows(IllegalStateException.class, () -> current.fetch("http://127.0.0.1/"));
        created.close(); // a client made with create() is the caller's to close
        assertThrows(IllegalStateException.class, () -> created.fetch("http://127.0.0.1/"));
    }

    @Test
    void currentClientFetches() {
        run(() -> {
            String base = serve("/echo", EchoHandler::new);
            AsyncHttpClient client = AsyncHttpClient.current();
            HttpResponse first = await(client.fetch(base + "/echo"));
            assertEquals(200, first.code());
            assertFalse(first.timing().reusedConnection());
            HttpResponse second = await(client.fetch(base + "/echo"));
            assertTrue(second.timing().reusedConnection(), "the pooled connection is reused");
        });
    }

    @Test
    void blockingClientFromAnotherThread() {
        run(() -> {
            String base = serve("/echo", EchoHandler::new);
            try (BlockingHttpClient blocking = new BlockingHttpClient()) {
                HttpResponse response = await(loop.runInExecutor(null, () -> blocking.fetch(base + "/echo")));
                assertEquals("GET", response.json().path("method").asText());
                HttpClientError error = await(loop.runInExecutor(null, () -> assertThrows(HttpClientError.class,
                        () -> blocking.fetch(base + "/missing"))));
                assertEquals(404, error.code());
                assertEquals(404, await(loop.runInExecutor(null,
                        () -> blocking.fetch(HttpRequest.get(base + "/missing"), false))).code());
            }
        });
    }
}
