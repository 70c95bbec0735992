package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.squall.http.SquallVersion;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Status, headers, bodies, JSON, flushing, redirects and ETags (web_test items 5, 6, 12, 16). */
class OutputTest extends WebTestCase {
    /** Writes "hello". */
    static class HelloHandler extends RequestHandler {
        @Override
        protected void get() {
            write("hello");
        }
    }

    @Test
    void defaultHeaders() {
        run(() -> {
            serve(HelloHandler::new);
            HttpResponse<String> response = fetch("/");
            assertEquals("Squall/" + SquallVersion.VALUE, response.headers().firstValue("Server").orElseThrow());
            assertTrue(SquallVersion.VALUE.matches("[0-9]+\\.[0-9]+.*"), SquallVersion.VALUE);
            assertEquals("text/html; charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("5", response.headers().firstValue("Content-Length").orElseThrow());
            Instant date = ZonedDateTime.parse(response.headers().firstValue("Date").orElseThrow(),
                    DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            assertTrue(Duration.between(date, Instant.now()).abs().compareTo(Duration.ofSeconds(2)) < 0, date.toString());
        });
    }

    @Test
    void setDefaultHeadersAppliesToErrorPagesToo() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void setDefaultHeaders() {
                    setHeader("Server", "MyServer");
                    setHeader("X-Frame-Options", "DENY");
                }

                @Override
                protected void get() {
                    setHeader("X-Lost", "on error");
                    throw new HttpError(404);
                }
            });
            var response = fetch("/");
            assertEquals(404, response.statusCode());
            assertEquals("MyServer", response.headers().firstValue("Server").orElseThrow());
            assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElseThrow());
            assertFalse(response.headers().firstValue("X-Lost").isPresent());
        });
    }

    @Test
    void noContentHasNeitherContentLengthNorTransferEncoding() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setStatus(204);
                    finish();
                }
            });
            String response = raw("GET / HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(response.startsWith("HTTP/1.1 204 No Content\r\n"), response);
            assertFalse(response.contains("Content-Length"), response);
            assertFalse(response.contains("Transfer-Encoding"), response);
            assertFalse(response.contains("Content-Type"), response);
            assertTrue(response.endsWith("\r\n\r\n"), response);
            assertEquals(204, fetch("/").statusCode());
        });
    }

    @Test
    void bodyWithNoContentIsAnError() {
        expectErrors();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setStatus(204);
                    write("not allowed");
                }
            });
            assertEquals(500, fetch("/").statusCode());
            assertEquals(1, logs.matching(Level.ERROR, "Uncaught exception").size());
        });
    }

    @Test
    void headGetsContentLengthAndNoBody() {
        class Both extends HelloHandler {
            @Override
            protected void head() {
                get();
            }
        }
        run(() -> {
            serve(Both::new);
            String response = raw("HEAD / HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.contains("\r\nContent-Length: 5\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n"), response);
            assertFalse(response.contains("hello"), response);
        });
    }

    @Test
    void headOnAFlushingHandlerIsNotChunkedAndKeepsTheConnection() {
        class Flushing extends RequestHandler {
            @Override
            protected void head() {
                write("part");
                await(flush());
                write("rest");
            }

            @Override
            protected void get() {
                head();
            }
        }
        run(() -> {
            serve(Flushing::new);
            String response = rawUntil("HEAD / HTTP/1.1\nHost: localhost", "\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertFalse(response.contains("Transfer-Encoding"), response);
            assertFalse(response.contains("Connection: close"), response);
            assertEquals("partrest", fetch("/").body());
        });
    }

    @Test
    void flushThenFinishGivesAChunkedResponse() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    await(flush()); // headers only
                    await(flush()); // nothing at all
                    write("o");
                    await(flush());
                    await(flush());
                    finish("k");
                }
            });
            String response = rawUntil("GET / HTTP/1.1\nHost: localhost", "\r\n0\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.contains("\r\nTransfer-Encoding: chunked\r\n"), response);
            assertFalse(response.contains("Content-Length"), response);
            assertTrue(response.endsWith("\r\n\r\n1\r\no\r\n1\r\nk\r\n0\r\n\r\n"), response);
            assertEquals("ok", fetch("/").body());
        });
    }

    record Point(int x, int y, String label) {}

    @Test
    void objectsAreWrittenAsJson() {
        run(() -> {
            serve(Application.builder()
                    .route("/map", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            Map<String, Object> map = new LinkedHashMap<>();
                            map.put("a", 1);
                            map.put("html", "</script><script>alert(1)</script>");
                            write(map);
                        }
                    })
                    .route("/record", () -> new RequestHandler() {
                        @Override
                        protected void get() {
                            write(new Point(1, 2, "é"));
                        }
                    }).build());
            HttpResponse<String> response = fetch("/map");
            assertEquals("application/json; charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("{\"a\":1,\"html\":\"<\\/script><script>alert(1)<\\/script>\"}", response.body());
            response = fetch("/record");
            assertEquals("application/json; charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("{\"x\":1,\"y\":2,\"label\":\"é\"}", response.body());
        });
    }

    @Test
    void listsAndScalarsAreRefusedAsJson() {
        List<String> refused = new ArrayList<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    for (Object value : List.of(List.of(1, 2), new int[] {1}, 42, true)) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(value));
                        refused.add(e.getMessage());
                    }
                    write("refused");
                }
            });
            HttpResponse<String> response = fetch("/");
            assertEquals("refused", response.body());
            assertEquals("text/html; charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
            assertEquals(4, refused.size());
            assertTrue(refused.getFirst().contains("top-level JSON array"), refused.getFirst());
        });
    }

    @Test
    void headerInjectionIsRefused() {
        List<String> messages = new ArrayList<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    for (String value : List.of("foo\r\nX-Bar: baz", "foo\nbar", "a\u0000b", "a\u0001b", "a\u007fb", "é\u0100")) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> setHeader("X-Foo", value));
                        messages.add(e.getMessage());
                        assertThrows(IllegalArgumentException.class, () -> addHeader("X-Foo", value));
                    }
                    setHeader("X-Tab", "a\tb");
                    setHeader("X-Latin", "café");
                    finish("ok");
                }
            });
            String response = raw("GET / HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(response.endsWith("\r\n\r\nok"), response);
            assertTrue(response.contains("\r\nX-Tab: a\tb\r\n"), response);
            assertTrue(response.contains("\r\nX-Latin: caf\u00e9\r\n"), response);
            assertFalse(response.contains("X-Bar"), response);
            assertEquals(6, messages.size());
            assertTrue(messages.stream().allMatch(m -> m.startsWith("Unsafe header value")), messages.toString());
        });
    }

    @Test
    void setAddAndClearHeaders() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setHeader("x-overwrite", "1");
                    setHeader("X-Overwrite", "2");
                    addHeader("x-multi", "3");
                    addHeader("X-Multi", "4");
                    setHeader("h1", "foo");
                    setHeader("h2", "bar");
                    clearHeader("h1");
                    clearHeader("nonexistent");
                }
            });
            HttpResponse<String> response = fetch("/");
            assertEquals(List.of("2"), response.headers().allValues("x-overwrite"));
            assertEquals(List.of("3", "4"), response.headers().allValues("x-multi"));
            assertFalse(response.headers().firstValue("h1").isPresent());
            assertEquals("bar", response.headers().firstValue("h2").orElseThrow());
        });
    }

    @Test
    void writeAfterFinishIsAnError() {
        List<String> messages = new ArrayList<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    finish("done");
                    messages.add(assertThrows(IllegalStateException.class, () -> write("more")).getMessage());
                    messages.add(assertThrows(IllegalStateException.class, this::finish).getMessage());
                    messages.add(assertThrows(IllegalStateException.class, this::flush).getMessage());
                }
            });
            assertEquals("done", fetch("/").body());
            assertEquals(List.of("Cannot write() after finish()", "Cannot finish() after finish()",
                    "Cannot flush() after finish()"), messages);
        });
    }

    @Test
    void redirects() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    String permanent = getArgument("permanent", null);
                    if (permanent != null) {
                        redirect("/", permanent.equals("1"));
                    } else if (getArgument("status", null) != null) {
                        redirect("/", Integer.parseInt(getArgument("status")));
                    } else {
                        redirect("/café?x=1");
                    }
                }
            });
            assertEquals(301, fetch("/?permanent=1").statusCode());
            assertEquals(302, fetch("/?permanent=0").statusCode());
            assertEquals(307, fetch("/?status=307").statusCode());
            HttpResponse<String> response = fetch("/");
            assertEquals(302, response.statusCode());
            assertEquals("/caf%C3%A9?x=1", response.headers().firstValue("Location").orElseThrow());
            assertEquals("", response.body());
            assertEquals("0", response.headers().firstValue("Content-Length").orElseThrow());
        });
    }

    @Test
    void redirectNeedsA3xxStatus() {
        expectErrors();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    redirect("/", 200);
                }
            });
            assertEquals(500, fetch("/").statusCode());
            assertEquals(1, logs.count(Level.ERROR, "Uncaught exception"));
        });
    }

    @Test
    void etagAndNotModified() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setHeader("Content-Language", "en_US");
                    write("hello");
                }
            });
            HttpResponse<String> first = fetch("/");
            assertEquals("5", first.headers().firstValue("Content-Length").orElseThrow());
            assertEquals("en_US", first.headers().firstValue("Content-Language").orElseThrow());
            String etag = first.headers().firstValue("Etag").orElseThrow();
            assertEquals("\"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d\"", etag); // SHA-1 of "hello"

            String response = raw("GET / HTTP/1.1\nHost: localhost\nConnection: close\nIf-None-Match: " + etag);
            assertTrue(response.startsWith("HTTP/1.1 304 Not Modified\r\n"), response);
            assertTrue(response.contains("\r\nEtag: " + etag + "\r\n"), response);
            for (String absent : List.of("Content-Length", "Content-Language", "Content-Type", "Transfer-Encoding")) {
                assertFalse(response.contains(absent), absent + " in " + response);
            }
            assertTrue(response.endsWith("\r\n\r\n"), response);
        });
    }

    private int statusWithEtags(String computed, String ifNoneMatch) {
        return send(request("/?etag=" + URLEncoder.encode(computed, StandardCharsets.UTF_8))
                .header("If-None-Match", ifNoneMatch).build()).statusCode();
    }

    @Test
    void ifNoneMatchComparesEntityTagsWeakly() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    write("body");
                }

                @Override
                protected String computeEtag() {
                    return getArgument("etag");
                }
            });
            assertEquals(304, statusWithEtags("\"xyzzy\"", "*"));
            assertEquals(304, statusWithEtags("\"xyzzy\"", "\"xyzzy\""));
            assertEquals(304, statusWithEtags("\"xyzzy1\"", "\"xyzzy1\", \"xyzzy2\""));
            assertEquals(200, statusWithEtags("\"xyzzy\"", "\"xyzzy1\""));
            assertEquals(200, statusWithEtags("\"xyzzy\"", "\"xyzzy1\", \"xyzzy2\""));
            assertEquals(304, statusWithEtags("\"xyzzy1\"", "W/\"xyzzy1\""));
            assertEquals(304, statusWithEtags("\"xyzzy2\"", "W/\"xyzzy1\", W/\"xyzzy2\""));
            assertEquals(200, statusWithEtags("\"xyzzy2\"", "W/\"xyzzy1\""));
            assertEquals(200, statusWithEtags("\"xyzzy3\"", "W/\"xyzzy1\", W/\"xyzzy2\""));
        });
    }

    @Test
    void onlySuccessfulGetAndHeadGetAnEtag() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setStatus(201);
                    write("created");
                }

                @Override
                protected void post() {
                    write("posted");
                }
            });
            assertFalse(fetch("/").headers().firstValue("Etag").isPresent());
            assertFalse(fetch("POST", "/", "").headers().firstValue("Etag").isPresent());
        });
    }
}
