package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Talks to the application with curl, an independent HTTP client (skipped where curl is not installed). */
class CurlTest extends WebTestCase {
    /** Runs curl with {@code args} (on an executor thread) and returns what it printed. */
    private String curl(String... args) {
        List<String> command = new ArrayList<>(List.of(ExternalTools.requireCommand("curl", "curl"), "--silent", "--show-error", "--max-time", "10"));
        command.addAll(List.of(args));
        return await(loop.runInExecutor(null, () -> {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(15, TimeUnit.SECONDS), "curl did not finish");
            assertEquals(0, process.exitValue(), output);
            return output;
        }));
    }

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
            String head = curl("--include", base + "/users/7");
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(head.contains("\r\nContent-Type: application/json; charset=UTF-8\r\n"), head);
            assertTrue(head.endsWith("\r\n\r\n{\"id\":7}"), head);
            assertEquals("hello Zoë Ann #3", curl("--data-urlencode", "name=Zoë Ann", base + "/users/3"));
            assertEquals("{\"id\":5}", curl("--location", base + "/old/5"));
            assertEquals("404", curl("--output", "/dev/null", "--write-out", "%{http_code}", base + "/nowhere"));
        });
    }
}
