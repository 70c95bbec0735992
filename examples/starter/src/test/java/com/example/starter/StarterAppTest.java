package com.example.starter;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.squall.concurrent.Future;
import io.squall.gen.CoroutineMode;
import io.squall.gen.Coroutines;
import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Starts the app on a free port and fetches from it with the JDK's HttpClient. */
class StarterAppTest {
    @Test
    void greetsByName() {
        HttpClient client = HttpClient.newHttpClient();
        try (IOLoop loop = new IOLoop(); Application app = StarterApp.application()) {
            loop.runSync(() -> {
                int port = app.listen(0, "127.0.0.1");
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?name=starter")).build();
                // The JDK client blocks, so it runs off the loop; the coroutine awaits its result.
                Future<HttpResponse<String>> sent =
                        loop.runInExecutor(null, () -> client.send(request, HttpResponse.BodyHandlers.ofString()));
                HttpResponse<String> response = await(sent);
                assertEquals(200, response.statusCode());
                assertEquals("{\"hello\":\"starter\"}", response.body());
                return null;
            });
        }
        // Surefire's argLine carries the flag, so coroutines run in the fast mode.
        assertEquals(CoroutineMode.LOOP_CARRIER, Coroutines.mode());
    }
}
