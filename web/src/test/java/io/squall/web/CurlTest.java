package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Talks to the application with curl, an independent HTTP client (skipped where curl is not installed). */
class CurlTest extends WebTestCase {
    @Test
    void curlGetsJsonPostsFormsAndFollowsRedirects() {
        run(() -> {
            serve(Application.builder()
                    .route("/users/(?<id>[0-9]+)", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            write(Map.of("id", Integer.parseInt(pathKwargs().get("id"))));
                        }

                        @Override
                        protected void post() {
                            write("hello " + getArgument("name") + " #" + pathKwargs().get("id"));
                        }
                    })
                    .route("/old/(.*)", () -> new RedirectHandler("/users/{0}"))
                    .build());
            String base = "http://127.0.0.1:" + port;
            String head = curlOutput("--include", base + "/users/7");
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(head.contains("\r\nContent-Type: application/json; charset=UTF-8\r\n"), head);
            assertTrue(head.endsWith("\r\n\r\n{\"id\":7}"), head);
            assertEquals("hello Zoë Ann #3", curlOutput("--data-urlencode", "name=Zoë Ann", base + "/users/3"));
            assertEquals("{\"id\":5}", curlOutput("--location", base + "/old/5"));
            String headOnly = curlOutput("--head", base + "/users/7"); // HEAD runs get() without the body
            assertTrue(headOnly.startsWith("HTTP/1.1 200 OK\r\n"), headOnly);
            assertTrue(headOnly.contains("\r\nContent-Length: 8\r\n"), headOnly);
            assertEquals("404", curlOutput("--output", "/dev/null", "--write-out", "%{http_code}", base + "/nowhere"));
        });
    }
}
