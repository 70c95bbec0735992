package io.squall.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.squall.testing.LogCapture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Error pages, status and reason phrases, exception logging (web_test items 3, 4, 14). */
class ErrorsTest extends WebTestCase {
    static String page(int code, String message) {
        return "<html><title>" + code + ": " + message + "</title><body>" + code + ": " + message + "</body></html>";
    }

    /** Raises HttpError(status) if given, else divides by zero. */
    static class DefaultHandler extends RequestHandler {
        @Override
        protected void get() {
            String status = getArgument("status", null);
            if (status != null) {
                throw new HttpError(Integer.parseInt(status));
            }
            System.out.println(1 / (status == null ? 0 : 1));
        }
    }

    /** Sends an error itself if asked, else divides by zero; writes plain-text errors. */
    static class WriteErrorHandler extends RequestHandler {
        @Override
        protected void get() {
            String status = getArgument("status", null);
            if (status != null) {
                sendError(Integer.parseInt(status));
            } else {
                System.out.println(1 / (status == null ? 0 : 1));
            }
        }

        @Override
        protected void writeError(int status, Throwable exception) {
            setHeader("Content-Type", "text/plain");
            write(exception != null ? "Exception: " + exception.getClass().getSimpleName() : "Status: " + status);
        }
    }

    @Test
    void uncaughtExceptionGives500AndIsLoggedWithItsStackTrace() {
        expectErrors();
        run(() -> {
            serve(Application.builder().route("/default", DefaultHandler::new).build());
            var response = fetch("/default");
            assertEquals(500, response.statusCode());
            assertEquals(page(500, "Internal Server Error"), response.body());
            var errors = logs.matching(Level.ERROR, "Uncaught exception GET /default (127.0.0.1)");
            assertEquals(1, errors.size());
            assertEquals("/ by zero", LogCapture.thrownMessage(errors.getFirst()));
            assertEquals("io.squall.web.application", errors.getFirst().getLoggerName());

            response = fetch("/default?status=503");
            assertEquals(503, response.statusCode());
            assertEquals(page(503, "Service Unavailable"), response.body());
            response = fetch("/default?status=435");
            assertEquals(435, response.statusCode());
            assertEquals(page(435, "Unknown"), response.body());
            assertEquals(1, logs.withStackTraces().size(), "HttpError is not logged with a stack trace");
        });
    }

    @Test
    void writeErrorOverridesThePage() {
        expectErrors();
        run(() -> {
            serve(WriteErrorHandler::new);
            var response = fetch("/");
            assertEquals(500, response.statusCode());
            assertEquals("Exception: ArithmeticException", response.body());
            response = fetch("/?status=503");
            assertEquals(503, response.statusCode());
            assertEquals("Status: 503", response.body());
            assertEquals("text/plain", response.headers().firstValue("Content-Type").orElseThrow());
        });
    }

    @Test
    void failureInWriteErrorIsLoggedAndTheResponseStillEnds() {
        expectErrors();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    throw new IllegalStateException("boom");
                }

                @Override
                protected void writeError(int status, Throwable exception) {
                    throw new IllegalStateException("exception in writeError");
                }
            });
            var response = fetch("/");
            assertEquals(500, response.statusCode());
            assertEquals("", response.body());
            assertEquals(1, logs.matching(Level.ERROR, "Uncaught exception GET /").size());
            var failure = logs.matching(Level.ERROR, "Uncaught exception in writeError");
            assertEquals(1, failure.size());
            assertEquals("exception in writeError", LogCapture.thrownMessage(failure.getFirst()));
        });
    }

    @Test
    void httpErrorIsLoggedOnItsAccessLogLineWithoutStackTrace() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    throw new HttpError(410, "no longer here");
                }
            });
            var response = fetch("/");
            assertEquals(410, response.statusCode());
            assertEquals(page(410, "Gone"), response.body());
            var warnings = logs.matching(Level.WARN, "no longer here");
            assertEquals(1, warnings.size());
            assertEquals("io.squall.web.access", warnings.getFirst().getLoggerName());
            assertTrue(warnings.getFirst().getFormattedMessage().startsWith("410 GET / (127.0.0.1) "));
            assertEquals(1, logs.atLeast(Level.WARN).size(), "one line per request");
            assertEquals(List.of(), logs.withStackTraces());
        });
    }

    @Test
    void logExceptionAndWriteErrorCanHandleAnExceptionTheirWay() {
        class PermissionException extends RuntimeException {
            PermissionException(String message) {
                super(message);
            }
        }
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    throw new PermissionException("not allowed");
                }

                @Override
                protected void writeError(int status, Throwable exception) throws Exception {
                    if (exception instanceof PermissionException) {
                        setStatus(403);
                        write("PermissionError");
                        return;
                    }
                    super.writeError(status, exception);
                }

                @Override
                protected void logException(Throwable exception) {
                    GEN_LOG.warn("custom logging for PermissionError: {}", exception.getMessage());
                }
            });
            var response = fetch("/");
            assertEquals(403, response.statusCode());
            assertEquals("PermissionError", response.body());
            assertEquals(1, logs.count(Level.WARN, "custom logging for PermissionError: not allowed"));
        });
    }

    @Test
    void brokenLogExceptionStillLogsSomething() {
        expectErrors();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    throw new IllegalStateException("original");
                }

                @Override
                protected void logException(Throwable exception) {
                    throw new IllegalStateException("logger broken");
                }
            });
            assertEquals(500, fetch("/").statusCode());
            assertEquals(1, logs.count(Level.ERROR, "Error in exception logger"));
            assertEquals(1, logs.count(Level.ERROR, "Uncaught exception GET /"));
        });
    }

    @Test
    void httpErrorWithReasonSetsTheStatusLineAndPage() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    throw new HttpError(682, null, "Foo");
                }
            });
            String response = raw("GET / HTTP/1.1\nHost: localhost\nConnection: close");
            assertTrue(response.startsWith("HTTP/1.1 682 Foo\r\n"), response);
            assertTrue(response.endsWith(page(682, "Foo")), response);
        });
        assertEquals("HTTP 682: Foo", new HttpError(682, null, "Foo").getMessage());
        assertEquals("HTTP 682: Unknown", new HttpError(682).getMessage());
        assertEquals("HTTP 400: Bad Request (Missing argument x)", new MissingArgumentError("x").getMessage());
    }

    private String statusLine(String query) {
        String response = raw("GET /?" + query + " HTTP/1.1\nHost: localhost\nConnection: close");
        return response.substring(0, response.indexOf("\r\n"));
    }

    @Test
    void setStatusReasonPhrases() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    int code = Integer.parseInt(getArgument("code"));
                    List<String> reason = request().queryArguments().get("reason");
                    setStatus(code, reason == null ? null : reason.getFirst());
                    if (code != 304) {
                        write(reason());
                    }
                }
            });
            assertEquals("HTTP/1.1 304 Not Modified", statusLine("code=304"));
            assertEquals("HTTP/1.1 304 Foo", statusLine("code=304&reason=Foo"));
            assertEquals("HTTP/1.1 682 Bar", statusLine("code=682&reason=Bar"));
            assertEquals("HTTP/1.1 682 Unknown", statusLine("code=682"));
            // CVE-2025-67724: a reason that could inject headers or script becomes "Unknown".
            assertEquals("HTTP/1.1 200 Unknown", statusLine("code=200&reason=Foo%0D%0AX-Injected:%20yes"));
            assertEquals("HTTP/1.1 200 Unknown", statusLine("code=200&reason=Foo%0ABar"));
            assertEquals("HTTP/1.1 400 Unknown", statusLine("code=400&reason=%3Cscript%3Ealert(1)%3C/script%3E"));
            assertEquals("HTTP/1.1 200 Unknown", statusLine("code=200&reason=a%01b"));
            assertEquals("HTTP/1.1 200 Tab\tok", statusLine("code=200&reason=Tab%09ok"));
        });
    }

    @Test
    void errorPageEscapesTheReason() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    throw new HttpError(400, null, "Tom & \"Jerry\"");
                }
            });
            assertEquals(page(400, "Tom &amp; &quot;Jerry&quot;"), fetch("/").body());
        });
    }

    @Test
    void serveTracebackShowsTheStackTrace() {
        expectErrors();
        run(() -> {
            serve(Application.builder().route("/", DefaultHandler::new).serveTraceback(true).build());
            var response = fetch("/");
            assertEquals(500, response.statusCode());
            assertTrue(response.body().startsWith("java.lang.ArithmeticException: / by zero"), response.body());
            assertTrue(response.body().contains("at io.squall.web.ErrorsTest$DefaultHandler.get"), response.body());
        });
    }

    @Test
    void contentLengthTooHighClosesTheConnection() {
        expectErrors();
        List<Exception> serverErrors = new ArrayList<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setHeader("Content-Length", "42");
                    try {
                        finish("ok");
                    } catch (RuntimeException e) {
                        serverErrors.add(e);
                        throw e;
                    }
                }
            });
            CompletionException e = assertThrows(CompletionException.class, () -> fetch("/"));
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals("Tried to write 40 bytes less than Content-Length", serverErrors.getFirst().getMessage());
            var errors = logs.matching(Level.ERROR, "Uncaught exception GET /");
            assertEquals(1, errors.size());
            assertEquals("Tried to write 40 bytes less than Content-Length", LogCapture.thrownMessage(errors.getFirst()));
        });
    }

    @Test
    void contentLengthTooLowClosesTheConnection() {
        expectErrors();
        List<Exception> serverErrors = new ArrayList<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setHeader("Content-Length", "2");
                    try {
                        finish("hello");
                    } catch (RuntimeException e) {
                        serverErrors.add(e);
                        throw e;
                    }
                }
            });
            // Nothing is sent: the head and the body go out together, and the body is too long.
            assertEquals("", raw("GET / HTTP/1.1\nHost: localhost"));
            assertTrue(serverErrors.getFirst().getMessage().startsWith("Tried to write more data than Content-Length"),
                    serverErrors.getFirst().getMessage());
            assertEquals(1, logs.count(Level.ERROR, "Uncaught exception GET /"));
        });
    }

    @Test
    void sendErrorAfterFlushCanOnlyEndTheResponse() {
        expectErrors();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    write("partial ");
                    flush();
                    throw new IllegalStateException("late failure");
                }
            });
            String response = rawUntil("GET / HTTP/1.1\nHost: localhost", "\r\n0\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
            assertTrue(response.contains("\r\nTransfer-Encoding: chunked\r\n"), response);
            assertTrue(response.endsWith("\r\n\r\n8\r\npartial \r\n0\r\n\r\n"), response);
            assertEquals(1, logs.count(Level.ERROR, "Cannot send error response after headers written"));
        });
    }

    @Test
    void handlerFactoryFailureGives500() {
        expectErrors();
        run(() -> {
            serve(() -> {
                throw new IllegalStateException("no handler today");
            });
            var response = fetch("/");
            assertEquals(500, response.statusCode());
            assertEquals(page(500, "Internal Server Error"), response.body());
            assertEquals(1, logs.count(Level.ERROR, "Cannot create the handler for"));
        });
    }

    @Test
    void statusMustHaveThreeDigits() {
        assertThrows(IllegalArgumentException.class, () -> new HttpError(42));
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    assertThrows(IllegalArgumentException.class, () -> setStatus(1000));
                    write("checked");
                }
            });
            assertEquals("checked", fetch("/").body());
        });
    }
}
