package io.squall.guide;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;

import io.squall.httpclient.AsyncHttpClient;
import io.squall.httpclient.BlockingHttpClient;
import io.squall.httpclient.HttpClientError;
import io.squall.httpclient.HttpRequest;
import io.squall.httpclient.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The snippets of docs/guide/http-client.md; {@link GuideSnippetsRunTest} runs them. */
final class HttpClientSnippets {
    private HttpClientSnippets() {
    }

    // tag::fetch[]
    static String fetchText(String url) {                    // call from a coroutine
        AsyncHttpClient client = AsyncHttpClient.current();  // one per loop: pooled connections
        try {
            HttpResponse response = await(client.fetch(url));
            return response.text();
        } catch (HttpClientError e) {                        // a non-2xx answer
            return "failed with " + e.code();
        }
    }
    // end::fetch[]

    // tag::post-and-multi[]
    static List<Integer> postThenFetchTwice(String base) {   // call from a coroutine
        AsyncHttpClient client = AsyncHttpClient.current();
        HttpRequest post = HttpRequest.builder(base + "/echo")
                .method("POST")
                .header("Content-Type", "application/json")
                .body("{\"x\":1}")
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        HttpResponse posted = await(client.fetch(post, false));          // false: any status, no raise
        List<HttpResponse> both = await(multi(List.of(client.fetch(base + "/"), client.fetch(base + "/"))));
        return List.of(posted.code(), both.get(0).code(), both.get(1).code());
    }
    // end::post-and-multi[]

    // tag::blocking[]
    static int blockingStatus(String url) {                  // plain code, no loop of one's own
        try (BlockingHttpClient client = new BlockingHttpClient()) {
            return client.fetch(url).code();
        }
    }
    // end::blocking[]
}
