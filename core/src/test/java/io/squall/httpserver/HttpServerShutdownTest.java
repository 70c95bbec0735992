package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.httpserver.WireClient.Response;
import io.squall.locks.Event;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpServer#shutdown(Duration)} over real sockets: no new connection, idle connections closed at
 * once, requests in flight finished with {@code Connection: close}, hung ones closed at the deadline.
 */
class HttpServerShutdownTest extends HttpServerTestCase {
    /** Long enough never to be reached by a test that drains. */
    private static final Duration LONG = Duration.ofSeconds(30);

    /** Answers (echo) once {@code release} is set. */
    private static TestApp.Behaviour answerWhen(Event release) {
        return exchange -> exchange.later(() -> {
            await(release.waitFor());
            await(exchange.respond(200, exchange.echo()));
        });
    }

    private boolean connectRefused() throws Exception {
        try (WireClient unexpected = WireClient.connect(port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Test
    void inFlightRequestCompletesWithConnectionCloseAndNewConnectsAreRefused() {
        run(() -> {
            Event release = new Event();
            startServer(answerWhen(release));
            WireClient busy = connect();
            io(() -> busy.send(get("/in-flight")));
            app.awaitRequests(1);

            Future<Void> shutdown = server.shutdown(LONG);
            assertTrue(io(this::connectRefused), "a new connect is refused");
            assertFalse(shutdown.isDone(), "a request is in flight");

            release.set();
            Response response = io(busy::readResponse);
            assertEquals(200, response.status());
            assertTrue(response.text().contains("/in-flight"));
            assertClosedAfter(response, busy);
            await(shutdown);
            assertEquals(0, server.connectionCount());
        });
    }

    @Test
    void idleKeepAliveConnectionIsClosedAtOnce() {
        run(() -> {
            startServer(TestApp.echo());
            WireClient idle = connect();
            Response first = io(() -> idle.send(get("/")).readResponse());
            assertNull(first.header("Connection"), "kept alive");
            WireClient silent = connect(); // never sends anything
            while (server.connectionCount() < 2) { // accepting is no event of the app's: poll (bounded by run's timeout)
                await(moment());
            }

            Future<Void> shutdown = server.shutdown(LONG);
            assertClosedByServer(idle);
            assertClosedByServer(silent);
            await(shutdown);
            assertEquals(0, server.connectionCount());
        });
    }

    @Test
    void busyConnectionsNextResponseSaysConnectionClose() {
        run(() -> {
            Event release = new Event();
            startServer(answerWhen(release));
            WireClient client = connect();
            // Two pipelined requests: the first is in flight at the shutdown, the second must not be served.
            io(() -> client.send(get("/first") + get("/second")));
            app.awaitRequests(1);
            Future<Void> shutdown = server.shutdown(LONG);
            release.set();
            Response response = io(client::readResponse);
            assertTrue(response.text().contains("/first"), response.text());
            assertClosedAfter(response, client);
            await(shutdown);
            assertEquals(1, app.exchanges().size(), "the request after the last response is not served");
        });
    }

    @Test
    void deadlineForceClosesAHungHandler() {
        run(() -> {
            startServer(answerWhen(new Event())); // never set: the handler hangs
            WireClient hung = connect();
            io(() -> hung.send(get("/hang")));
            app.awaitRequests(1);
            Future<Void> shutdown = server.shutdown(Duration.ofMillis(200));
            assertClosedByServer(hung); // a read that returns -1, within WireClient's read timeout
            await(shutdown);
            assertTrue(app.exchange(0).connectionClosed());
        });
    }

    @Test
    void secondShutdownReturnsTheFirstOnesFuture() {
        run(() -> {
            startServer(TestApp.echo());
            Future<Void> first = server.shutdown(LONG);
            assertTrue(first == server.shutdown(Duration.ZERO));
            await(first);
        });
    }
}
