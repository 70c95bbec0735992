package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Dispatch on the HTTP method: 405s, supportedMethods and extension methods (web_test item 2). */
class MethodsTest extends WebTestCase {
    static final String NOT_ALLOWED =
            "<html><title>405: Method Not Allowed</title><body>405: Method Not Allowed</body></html>";

    /** Implements no method at all. */
    static class EmptyHandler extends RequestHandler {}

    /** Writes the method's name for every standard method but PATCH and HEAD. */
    static class AllMethodsHandler extends RequestHandler {
        private void echo() {
            write(request().method());
        }

        @Override
        protected void get() {
            echo();
        }

        @Override
        protected void head() {
            echo();
        }

        @Override
        protected void post() {
            echo();
        }

        @Override
        protected void delete() {
            echo();
        }

        @Override
        protected void put() {
            echo();
        }

        @Override
        protected void options() {
            echo();
        }
    }

    /** Implements an extension method without adding it to supportedMethods(). */
    static class UnsupportedOtherHandler extends RequestHandler {
        @Override
        protected void otherMethod(String method) {
            write("other");
        }
    }

    /** Adds OTHER to the supported methods. */
    static class OtherHandler extends UnsupportedOtherHandler {
        @Override
        protected Set<String> supportedMethods() {
            Set<String> methods = new HashSet<>(SUPPORTED_METHODS);
            methods.add("OTHER");
            return methods;
        }

        @Override
        protected void patch() {
            write("patch");
        }
    }

    @Test
    void unimplementedStandardMethodsGet405() {
        run(() -> {
            serve(EmptyHandler::new);
            for (String method : List.of("GET", "DELETE", "OPTIONS", "POST", "PUT", "PATCH")) {
                var response = fetch(method, "/", method.startsWith("P") ? "" : null);
                assertEquals(405, response.statusCode(), method);
                assertEquals(NOT_ALLOWED, response.body(), method);
            }
            assertEquals(405, fetch("HEAD", "/", null).statusCode());
        });
    }

    @Test
    void headWithout405HandlerHasContentLengthAndNoBody() {
        run(() -> {
            serve(EmptyHandler::new);
            String response = raw("HEAD / HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(response.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), response);
            assertEquals(87, NOT_ALLOWED.length());
            assertTrue(response.contains("\r\nContent-Length: 87\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n"), response);
        });
    }

    @Test
    void implementedMethodsAreDispatched() {
        run(() -> {
            serve(AllMethodsHandler::new);
            for (String method : List.of("GET", "DELETE", "OPTIONS", "POST", "PUT")) {
                assertEquals(method, fetch(method, "/", method.startsWith("P") ? "" : null).body());
            }
            var head = fetch("HEAD", "/", null);
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals("4", head.headers().firstValue("Content-Length").orElseThrow());
        });
    }

    /** Implements GET only, with a status and header of its own. */
    static class GetOnlyHandler extends RequestHandler {
        @Override
        protected void get() {
            setStatus(203);
            setHeader("X-Answer", "42");
            write("hello, head");
        }
    }

    @Test
    void headRunsGetWithoutTheBody() {
        run(() -> {
            serve(GetOnlyHandler::new);
            var get = fetch("/");
            var head = fetch("HEAD", "/", null);
            assertEquals(203, head.statusCode());
            assertEquals("", head.body());
            assertEquals("11", head.headers().firstValue("Content-Length").orElseThrow());
            assertEquals("42", head.headers().firstValue("X-Answer").orElseThrow());
            assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"));
            String wire = raw("HEAD / HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(wire.startsWith("HTTP/1.1 203 Non-Authoritative Information\r\n"), wire);
            assertTrue(wire.contains("\r\nContent-Length: 11\r\n"), wire);
            assertTrue(wire.endsWith("\r\n\r\n"), wire); // no body on the wire
        });
    }

    @Test
    void a405ListsTheImplementedMethodsInAllow() {
        run(() -> {
            serve(Application.builder()
                    .route("/get", GetOnlyHandler::new)
                    .route("/all", AllMethodsHandler::new)
                    .route("/other", OtherHandler::new)
                    .route("/none", EmptyHandler::new)
                    .build());
            assertEquals("GET, HEAD", fetch("POST", "/get", "").headers().firstValue("Allow").orElseThrow());
            var patch = fetch("PATCH", "/all", "");
            assertEquals(405, patch.statusCode());
            assertEquals("GET, HEAD, POST, PUT, DELETE, OPTIONS", patch.headers().firstValue("Allow").orElseThrow());
            assertEquals("PATCH, OTHER", fetch("GET", "/other", null).headers().firstValue("Allow").orElseThrow());
            String wire = raw("DELETE /none HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(wire.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), wire);
            assertTrue(wire.contains("\r\nAllow: \r\n"), wire); // RFC 9110 §10.2.1: empty means none
        });
    }

    @Test
    void methodOutsideSupportedMethodsGets405EvenIfImplemented() {
        run(() -> {
            serve(UnsupportedOtherHandler::new);
            assertEquals(405, fetch("OTHER", "/", null).statusCode());
            assertEquals(405, fetch("PATCH", "/", "").statusCode());
        });
    }

    @Test
    void supportedMethodsEnablesExtensionMethods() {
        run(() -> {
            serve(OtherHandler::new);
            assertEquals("other", fetch("OTHER", "/", null).body());
            assertEquals("patch", fetch("PATCH", "/", "").body());
        });
    }

    @Test
    void unsupportedMethodOnAnUnknownPathIs405LikeTornado() {
        run(() -> {
            serve(Application.builder().build());
            assertEquals(404, fetch("/nowhere").statusCode());
            assertEquals(405, fetch("OTHER", "/nowhere", null).statusCode());
        });
    }
}
