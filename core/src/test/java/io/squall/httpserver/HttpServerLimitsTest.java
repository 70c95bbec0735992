package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.httpserver.WireClient.Response;
import io.squall.net.NetUtil;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The server's protective limits over real sockets: the defaults are bounded, a stalled body is answered
 * 408 by the progress limit, and at {@code maxConnections} the server stops accepting until a connection
 * closes. (The idle and header timeouts are in {@link HttpServerBadInputTest}.)
 */
class HttpServerLimitsTest extends HttpServerTestCase {
    @Test
    void defaultsAreBounded() {
        HttpServerOptions defaults = HttpServerOptions.DEFAULTS;
        assertEquals(Duration.ofSeconds(60), defaults.idleConnectionTimeout());
        assertEquals(Duration.ofSeconds(30), defaults.headerTimeout());
        assertEquals(Duration.ofSeconds(30), defaults.bodyProgressTimeout());
        assertEquals(Duration.ofMinutes(5), defaults.bodyTimeout());
        long fdLimit = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertEquals(NetUtil.defaultMaxConnections(), defaults.maxConnections());
        assertTrue(defaults.maxConnections() < fdLimit, defaults.maxConnections() + " connections, fd limit " + fdLimit);
    }

    @Test
    void bodyThatStopsArrivingIsAnswered408ByTheProgressLimit() {
        run(() -> {
            startServer(HttpServerOptions.builder().bodyProgressTimeout(Duration.ofMillis(200))
                    .bodyTimeout(Duration.ofMinutes(1)).build(), TestApp.echo());
            WireClient client = connect();
            Response response = io(() -> client.send(request("POST", "/", "Content-Length: 100") + "\r\nthe first bytes").readResponse());
            assertEquals(408, response.status());
            assertClosedAfter(response, client);
            assertTrue(app.exchange(0).connectionClosed());
        });
    }

    @Test
    void chunkedBodyThatStopsArrivingIsAnswered408() {
        run(() -> {
            startServer(HttpServerOptions.builder().bodyProgressTimeout(Duration.ofMillis(200)).build(), TestApp.echo());
            WireClient client = connect();
            Response response = io(() -> client.send(request("POST", "/", "Transfer-Encoding: chunked") + "\r\n5\r\nhello\r\n").readResponse());
            assertEquals(408, response.status());
            assertClosedAfter(response, client);
        });
    }

    @Test
    void atMaxConnectionsTheServerStopsAcceptingUntilOneCloses() {
        run(() -> {
            startServer(HttpServerOptions.builder().maxConnections(2).build(), TestApp.echo());
            WireClient first = connect();
            WireClient second = connect();
            assertEquals(200, io(() -> first.send(get("/1")).readResponse()).status());
            assertEquals(200, io(() -> second.send(get("/2")).readResponse()).status());
            // The third connection is completed by the kernel (listen queue) but not accepted.
            WireClient third = connect();
            io(() -> third.send(get("/3")));
            // A round trip on a served connection after the third's bytes were sent: the loop has had
            // the chance to accept it, and did not.
            assertEquals(200, io(() -> first.send(get("/1-again")).readResponse()).status());
            assertEquals(3, app.exchanges().size());
            assertEquals(2, server.connectionCount());

            io(() -> {
                second.close();
                return null;
            });
            Response answered = io(third::readResponse);
            assertEquals(200, answered.status());
            assertTrue(answered.text().contains("/3"), answered.text());
            assertEquals(2, server.connectionCount());
        });
    }
}
