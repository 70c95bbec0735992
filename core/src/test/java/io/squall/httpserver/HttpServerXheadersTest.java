package io.squall.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code xheaders}: behind a proxy, the client address and scheme come from {@code X-Real-Ip} /
 * {@code X-Forwarded-For} and {@code X-Scheme} / {@code X-Forwarded-Proto}, skipping trusted proxies.
 */
class HttpServerXheadersTest extends HttpServerTestCase {
    private static final HttpServerOptions BEHIND_PROXY = HttpServerOptions.builder()
            .xheaders(true).trustedDownstream(Set.of("5.5.5.5", "6.6.6.6")).build();

    static Stream<Arguments> proxyHeaders() {
        return Stream.of(
                seen("127.0.0.1", "http"),
                seen("4.4.4.4", "http", "X-Real-Ip: 4.4.4.4"),
                seen("2001:db8::1", "http", "X-Real-Ip: 2001:db8::1"),
                seen("4.4.4.4", "http", "X-Forwarded-For: 4.4.4.4"),
                seen("4.4.4.4", "http", "X-Forwarded-For: 127.0.0.1, 4.4.4.4"),
                seen("4.4.4.4", "http", "X-Forwarded-For: 1.1.1.1, 4.4.4.4, 5.5.5.5, 6.6.6.6"),
                seen("4.4.4.4", "http", "X-Forwarded-For: 1.1.1.1", "X-Forwarded-For: 4.4.4.4, 5.5.5.5"),
                seen("2001:db8::2", "http", "X-Forwarded-For: 2001:db8::2"),
                seen("127.0.0.1", "http", "X-Forwarded-For: 4.4.4.4<script>"),
                seen("127.0.0.1", "http", "X-Forwarded-For: example.com"),
                seen("127.0.0.1", "http", "X-Real-Ip: 1.1.1.1", "X-Real-Ip: 2.2.2.2"),
                seen("127.0.0.1", "https", "X-Scheme: https"),
                seen("127.0.0.1", "https", "X-Forwarded-Proto: https"),
                seen("127.0.0.1", "http", "X-Forwarded-Proto: https , http"),
                seen("127.0.0.1", "https", "X-Forwarded-Proto: http, HTTPS"),
                seen("127.0.0.1", "http", "X-Scheme: unknown"));
    }

    private static Arguments seen(String remoteIp, String protocol, String... headerLines) {
        return Arguments.of(remoteIp, protocol, headerLines);
    }

    @ParameterizedTest(name = "{2} -> {0} {1}")
    @MethodSource("proxyHeaders")
    void proxyHeadersSetTheClientAddressAndScheme(String remoteIp, String protocol, String[] headerLines) {
        run(() -> {
            startServer(BEHIND_PROXY, TestApp.echo());
            WireClient client = connect();
            // Twice on one connection, with a plain request between: nothing carries over.
            for (int i = 0; i < 2; i++) {
                io(() -> client.send(get("/", headerLines)).readResponse());
                io(() -> client.send(get("/plain")).readResponse());
            }
            for (int i = 0; i < 4; i += 2) {
                assertEquals(remoteIp, app.exchange(i).remoteIp(), "remoteIp");
                assertEquals(protocol, app.exchange(i).protocol(), "protocol");
                assertEquals("127.0.0.1", app.exchange(i + 1).remoteIp(), "reset for the next request");
                assertEquals("http", app.exchange(i + 1).protocol(), "reset for the next request");
            }
        });
    }

    @Test
    void withoutXheadersProxyHeadersAreIgnored() {
        run(() -> {
            startServer(TestApp.echo());
            exchange(get("/", "X-Real-Ip: 4.4.4.4", "X-Forwarded-For: 4.4.4.4", "X-Scheme: https"));
            assertEquals("127.0.0.1", app.exchange(0).remoteIp());
            assertEquals("http", app.exchange(0).protocol());
        });
    }
}
