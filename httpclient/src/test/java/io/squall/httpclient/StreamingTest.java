package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.TestBytes;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The header and streaming callbacks (simple_httpclient_test item 18): the head line by line before any
 * body piece, only the final response's after redirects, an awaiting consumer, and an empty collected body.
 */
class StreamingTest extends HttpClientTestCase {
    /** Writes "asdf" and "qwer" in two flushes: a chunked body. */
    static class ChunksHandler extends RequestHandler {
        @Override
        protected void get() {
            write("asdf");
            await(flush());
            write("qwer");
        }
    }

    private final List<String> events = new ArrayList<>();

    /** Fetches {@code url} recording {@code "H "} + each header callback and {@code "S "} + each chunk. */
    private HttpResponse fetchRecorded(String url) {
        HttpRequest request = HttpRequest.builder(url)
                .headerCallback(line -> events.add("H " + line))
                .streamingCallback(chunk -> events.add("S " + TestBytes.str(chunk)))
                .build();
        return await(client().fetch(request));
    }

    /** Checks the order of {@link #events} and returns the streamed body. */
    private String checkEvents() {
        assertEquals("H HTTP/1.1 200 OK\r\n", events.getFirst());
        int end = events.indexOf("H \r\n");
        assertTrue(end > 0, events.toString());
        for (String line : events.subList(1, end)) {
            assertTrue(line.matches("H [A-Za-z0-9-]+: [^\r\n]*\r\n"), line);
        }
        StringBuilder body = new StringBuilder();
        for (String event : events.subList(end + 1, events.size())) {
            assertTrue(event.startsWith("S "), "every header comes before any chunk: " + events);
            body.append(event.substring(2));
        }
        return body.toString();
    }

    @Test
    void headerLinesThenChunks() {
        run(() -> {
            String base = serve("/chunks", ChunksHandler::new);
            HttpResponse response = fetchRecorded(base + "/chunks");
            assertEquals("asdfqwer", checkEvents());
            assertTrue(events.contains("H Transfer-Encoding: chunked\r\n"), events.toString());
            assertEquals(0, response.body().length, "the streaming callback took the body");
        });
    }

    @Test
    void onlyTheFinalResponseAfterRedirects() {
        run(() -> {
            String base = serve(Application.builder()
                    .route("/chunks", ChunksHandler::new)
                    .route("/redirect", RedirectHandler::new)
                    .build());
            HttpResponse response = fetchRecorded(base + "/redirect?url=/chunks");
            assertTrue(response.effectiveUri().toString().endsWith("/chunks"));
            assertEquals("asdfqwer", checkEvents());
            assertFalse(events.stream().anyMatch(e -> e.contains("302") || e.contains("Location")), events.toString());
        });
    }

    @Test
    void consumerThatAwaits() {
        run(() -> {
            byte[] body = TestBytes.random(1 << 20, 11);
            String url = answering(response("Content-Length: " + body.length + "\r\n", body));
            AsyncHttpClient client = client(HttpClientOptions.builder().chunkSize(64 * 1024));
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            int[] calls = new int[1];
            HttpResponse response = await(client.fetch(HttpRequest.builder(url).streamingCallback(chunk -> {
                calls[0]++;
                await(sleep(ms(2))); // nothing more is read until this returns
                streamed.writeBytes(chunk);
            }).build()));
            assertEquals(TestBytes.sha256(body), TestBytes.sha256(streamed.toByteArray()));
            assertTrue(calls[0] >= 16, "pieces of at most chunkSize: " + calls[0]);
            assertEquals(0, response.body().length);
        });
    }

    @Test
    void consumerFailureFailsTheFetch() {
        run(() -> {
            String url = answering(response("Content-Length: 2\r\n", utf8("ok")));
            IllegalStateException failure = new IllegalStateException("disk full");
            HttpRequest request = HttpRequest.builder(url).streamingCallback(chunk -> {
                throw failure;
            }).build();
            assertEquals(failure, assertFetchFails(IllegalStateException.class, client().fetch(request)));
        });
    }
}
