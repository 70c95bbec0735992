package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.sleep;
import static io.squall.gen.Coroutines.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import io.squall.gen.Coroutines;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The handler lifecycle: coroutines, hooks, finishing early, Finish, client disconnects (items 15, 18). */
class LifecycleTest extends WebTestCase {
    @Test
    void everyStepRunsInACoroutineAndMayAwait() {
        List<String> calls = new ArrayList<>();
        Future<Void> finished = new Future<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void initialize() {
                    calls.add("initialize " + Coroutines.inCoroutine() + " " + request().path());
                }

                @Override
                protected void prepare() {
                    await(sleep(Duration.ofMillis(5)));
                    calls.add("prepare");
                }

                @Override
                protected void get() {
                    await(sleep(Duration.ofMillis(5)));
                    write("slept");
                    calls.add("get");
                }

                @Override
                protected void onFinish() {
                    await(sleep(Duration.ofMillis(1)));
                    calls.add("onFinish " + isFinished());
                    finished.setResult(null);
                }
            });
            assertEquals("slept", fetch("/").body());
            await(withTimeout(TEST_TIMEOUT, finished));
            assertEquals(List.of("initialize true /", "prepare", "get", "onFinish true"), calls);
        });
    }

    @Test
    void handlersGetConstructorArgumentsFromTheirFactory() {
        record Greeting(String text) {}
        class GreetingHandler extends RequestHandler {
            private final Greeting greeting;

            GreetingHandler(Greeting greeting) {
                this.greeting = greeting;
            }

            @Override
            protected void get() {
                write(greeting.text());
            }
        }
        run(() -> {
            serve(() -> new GreetingHandler(new Greeting("hi there")));
            assertEquals("hi there", fetch("/").body());
        });
    }

    @Test
    void exceptionInAsyncPrepareGoesToWriteError() {
        expectErrors();
        List<Throwable> seen = new ArrayList<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void prepare() {
                    await(sleep(Duration.ofMillis(1)));
                    throw new IllegalStateException("prepare failed");
                }

                @Override
                protected void get() {
                    write("unreachable");
                }

                @Override
                protected void writeError(int status, Throwable exception) {
                    seen.add(exception);
                    write("error " + status + ": " + exception.getMessage());
                }
            });
            var response = fetch("/");
            assertEquals(500, response.statusCode());
            assertEquals("error 500: prepare failed", response.body());
            assertEquals(1, seen.size());
            assertEquals(1, logs.matching(Level.ERROR, "Uncaught exception GET / (127.0.0.1)").size());
            assertEquals(1, logs.withStackTraces().size());
        });
    }

    @Test
    void finishInPrepareSkipsTheMethod() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void prepare() {
                    finish("done");
                }

                @Override
                protected void get() {
                    throw new AssertionError("should not reach this method");
                }
            });
            assertEquals("done", fetch("/").body());
        });
    }

    @Test
    void finishExceptionKeepsTheStatusSetBefore() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    setStatus(401);
                    setHeader("WWW-Authenticate", "Basic realm=\"something\"");
                    if (!getArgument("finish_value", "").isEmpty()) {
                        throw new Finish("authentication required");
                    }
                    write("authentication required");
                    throw new Finish();
                }
            });
            for (String path : List.of("/", "/?finish_value=1")) {
                var response = fetch(path);
                assertEquals(401, response.statusCode());
                assertEquals("Basic realm=\"something\"", response.headers().firstValue("WWW-Authenticate").orElseThrow());
                assertEquals("authentication required", response.body());
            }
            assertEquals(List.of(), logs.withStackTraces());
        });
    }

    @Test
    void finishReturnsAFutureThatCompletes() {
        List<Future<Void>> futures = new ArrayList<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    futures.add(finish());
                    await(futures.getFirst());
                }

                @Override
                protected void post() {
                    write("hello,");
                    await(flush());
                    futures.add(finish("world"));
                    await(futures.getLast());
                }
            });
            assertEquals(200, fetch("/").statusCode());
            assertEquals("hello,world", fetch("POST", "/", "").body());
            assertEquals(2, futures.size());
            assertTrue(futures.stream().allMatch(Future::isDone));
        });
    }

    @Test
    void clientClosingMidRequestRunsOnConnectionClose() {
        Future<Void> waiting = new Future<>();
        Future<Void> release = new Future<>();
        Future<String> closed = new Future<>();
        Future<Void> finished = new Future<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    waiting.setResult(null);
                    await(release);
                    write("too late"); // to a closed connection: ends quietly
                }

                @Override
                protected void onConnectionClose() {
                    closed.setResult(Coroutines.inCoroutine() + " " + isFinished());
                    release.setResult(null);
                }

                @Override
                protected void onFinish() {
                    finished.setResult(null);
                }
            });
            Socket socket = await(loop.runInExecutor(null, () -> {
                Socket s = new Socket("127.0.0.1", port);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return s;
            }));
            await(withTimeout(TEST_TIMEOUT, waiting));
            await(loop.runInExecutor(null, () -> {
                socket.close();
                return null;
            }));
            assertEquals("true false", await(withTimeout(TEST_TIMEOUT, closed)));
            await(withTimeout(TEST_TIMEOUT, finished));
        });
    }

    @Test
    void handlerThatClosesTheConnectionItselfEndsQuietly() {
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    request().connection().close();
                    write("hello");
                }
            });
            String response = raw("GET / HTTP/1.1\nHost: localhost");
            assertEquals("", response);
        });
    }

    @Test
    void eachRequestGetsANewHandler() {
        List<RequestHandler> handlers = new ArrayList<>();
        run(() -> {
            serve(() -> new RequestHandler() {
                @Override
                protected void get() {
                    handlers.add(this);
                    write(Integer.toString(handlers.size()));
                }
            });
            assertEquals("1", fetch("/").body());
            assertEquals("2", fetch("/").body());
            assertEquals(2, handlers.size());
            assertSame(app, handlers.getFirst().application());
            assertTrue(handlers.getFirst() != handlers.getLast());
        });
    }
}
