package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.AsyncTestCase;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import org.junit.jupiter.api.Test;

class SmokeTest extends AsyncTestCase {
    static class Hello extends RequestHandler {
        @Override
        protected void get() {
            write("Hello, world");
        }
    }

    @Test
    void getTwiceReusesTheConnection() {
        run(() -> {
            Application app = closeLater(Application.builder().route("/", Hello::new).build());
            int port = app.listen(0, "127.0.0.1");
            AsyncHttpClient client = closeLater(AsyncHttpClient.create());
            HttpResponse first = await(client.fetch("http://127.0.0.1:" + port + "/"));
            assertEquals(200, first.code());
            assertEquals("Hello, world", first.text());
            assertFalse(first.timing().reusedConnection());
            HttpResponse second = await(client.fetch("http://127.0.0.1:" + port + "/"));
            assertEquals("Hello, world", second.text());
            assertTrue(second.timing().reusedConnection());
        });
    }
}
