package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests whose target is in the absolute form (RFC 9112 §3.2.2), as a client talking to a proxy sends
 * them: routed on the target's path and query, with the host of its authority, not of the Host header.
 */
class AbsoluteFormTest extends WebTestCase {
    /** Writes where the request went: the host it names, its path and its argument {@code q}. */
    static final class WhereHandler extends RequestHandler {
        private final String routes;

        WhereHandler(String routes) {
            this.routes = routes;
        }

        @Override
        protected void get() {
            write(Map.of("routes", routes, "host", request().host(), "path", request().path(),
                    "q", getArgument("q", "")));
        }
    }

    private void serveHostRoutes() {
        Application application = Application.builder()
                .route("/where", () -> new WhereHandler("any host"))
                .build();
        application.addHandlers("www\\.example\\.test", List.of(Route.of("/where", () -> new WhereHandler("example"))));
        serve(application);
    }

    @Test
    void absoluteFormIsRoutedOnItsPathAndItsAuthority() {
        run(() -> {
            serveHostRoutes();
            String response = raw("GET http://127.0.0.1:" + port + "/where?q=a%20b HTTP/1.1\nHost: www.example.test\nConnection: close");
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.contains("\"routes\":\"any host\""), response);
            assertTrue(response.contains("\"host\":\"127.0.0.1:" + port + "\""), response);
            assertTrue(response.contains("\"path\":\"/where\""), response);
            assertTrue(response.contains("\"q\":\"a b\""), response);
            String toExample = raw("GET http://WWW.example.test/where HTTP/1.1\nHost: 127.0.0.1\nConnection: close");
            assertTrue(toExample.contains("\"routes\":\"example\""), toExample);
            assertTrue(toExample.contains("\"host\":\"www.example.test\""), toExample);
            String noPath = raw("GET http://www.example.test?q=1 HTTP/1.1\nHost: 127.0.0.1\nConnection: close");
            assertTrue(noPath.startsWith("HTTP/1.1 404 "), noPath); // the path is "/", which no route serves
        });
    }

    @Test
    void curlThroughTheServerAsAProxySendsTheAbsoluteForm() {
        run(() -> {
            serveHostRoutes();
            String output = curlOutput("--proxy", "http://127.0.0.1:" + port, "http://www.example.test/where?q=curl");
            assertTrue(output.contains("\"routes\":\"example\""), output);
            assertTrue(output.contains("\"path\":\"/where\""), output);
            assertTrue(output.contains("\"q\":\"curl\""), output);
        });
    }
}
