package io.squall.websocket;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.gen.Coroutines;
import io.squall.http.HttpHeaders;
import io.squall.httpclient.AsyncHttpClient;
import io.squall.httpclient.HttpRequest;
import io.squall.httpclient.HttpUpgrade;
import io.squall.ioloop.IOLoop;
import io.squall.iostream.IOStream;
import java.util.List;
import java.util.Locale;

/**
 * Opens client WebSocket connections (Tornado's {@code websocket_connect}):
 *
 * <pre>{@code
 * WebSocketClientConnection ws = await(WebSocket.connect("ws://localhost:8888/ws"));
 * await(ws.writeMessage("hello"));
 * WebSocketMessage reply = await(ws.readMessage());      // null once the connection is closed
 * ws.close();
 * }</pre>
 *
 * The handshake goes through the loop's {@link AsyncHttpClient#current()}: its connect timeout, TLS
 * settings ({@code wss://}) and proxy ({@code CONNECT} tunnel) apply, as set on the {@link HttpRequest}.
 * A server that answers with an error status fails the future with the client's
 * {@link io.squall.httpclient.HttpClientError}; one that answers with anything but a valid upgrade (a 200
 * page, a wrong {@code Sec-WebSocket-Accept}, an extension or subprotocol not offered) with
 * {@link WebSocketError}; redirects are not followed.
 */
public final class WebSocket {
    private WebSocket() {}

    /** Connects to {@code url} ({@code ws://}, {@code wss://}, or {@code http(s)://}) with default options. */
    public static Future<WebSocketClientConnection> connect(String url) {
        return connect(url, WebSocketOptions.DEFAULTS);
    }

    /** Connects to {@code url} with {@code options}. */
    public static Future<WebSocketClientConnection> connect(String url, WebSocketOptions options) {
        return connect(HttpRequest.get(httpUrl(url)), options, null);
    }

    /**
     * Connects with {@code request} (its URL http(s) for ws(s); its headers, timeouts, TLS and proxy settings
     * are used) and {@code options}; messages are read with {@link WebSocketClientConnection#readMessage()}.
     */
    public static Future<WebSocketClientConnection> connect(HttpRequest request, WebSocketOptions options) {
        return connect(request, options, null);
    }

    /**
     * Connects as {@link #connect(HttpRequest, WebSocketOptions)}; if {@code listener} is not null, messages
     * and events go to it instead of {@link WebSocketClientConnection#readMessage()}.
     */
    public static Future<WebSocketClientConnection> connect(HttpRequest request, WebSocketOptions options,
                                                            WebSocketListener listener) {
        IOLoop loop = IOLoop.current();
        AsyncHttpClient client = AsyncHttpClient.current();
        return Coroutines.spawnOn(loop, () -> handshake(client, request, options, listener));
    }

    /** {@code ws://} as {@code http://} and {@code wss://} as {@code https://}; other URLs unchanged. */
    static String httpUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ws://")) {
            return "http://" + url.substring(5);
        }
        if (lower.startsWith("wss://")) {
            return "https://" + url.substring(6);
        }
        return url;
    }

    private static WebSocketClientConnection handshake(AsyncHttpClient client, HttpRequest request,
                                                       WebSocketOptions options, WebSocketListener listener) {
        String key = Handshake.newKey();
        HttpRequest.Builder upgrade = request.toBuilder()
                .method("GET")
                .setHeader("Upgrade", "websocket")
                .setHeader("Connection", "Upgrade")
                .setHeader("Sec-WebSocket-Key", key)
                .setHeader("Sec-WebSocket-Version", Handshake.VERSION)
                .followRedirects(false)
                .decompressResponse(false);
        if (!options.subprotocols().isEmpty()) {
            upgrade.setHeader("Sec-WebSocket-Protocol", String.join(", ", options.subprotocols()));
        }
        if (options.compression() != null) {
            upgrade.setHeader("Sec-WebSocket-Extensions", PerMessageDeflate.offer(options.compression()));
        }
        HttpUpgrade answer = await(client.upgrade(upgrade.build()));
        if (!answer.switched()) {
            throw new WebSocketError("The server answered " + answer.response().code() + " instead of a WebSocket upgrade");
        }
        IOStream stream = answer.stream();
        try {
            HttpHeaders headers = answer.response().headers();
            if (!"websocket".equalsIgnoreCase(headers.get("Upgrade")) || !headers.containsToken("Connection", "upgrade")) {
                throw new WebSocketError("The server's 101 response is not a WebSocket upgrade");
            }
            if (!Handshake.accept(key).equals(headers.get("Sec-WebSocket-Accept"))) {
                throw new WebSocketError("Invalid Sec-WebSocket-Accept in the server's response");
            }
            List<String> protocols = Handshake.tokens(headers.getAll("Sec-WebSocket-Protocol"));
            if (protocols.size() > 1 || protocols.size() == 1 && !options.subprotocols().contains(protocols.getFirst())) {
                throw new WebSocketError("The server chose a subprotocol that was not offered: " + protocols);
            }
            PerMessageDeflate.Agreement deflate = PerMessageDeflate.agreed(headers.getAll("Sec-WebSocket-Extensions"),
                    options.compression());
            WebSocketClientConnection connection = new WebSocketClientConnection(answer.response(),
                    protocols.isEmpty() ? null : protocols.getFirst(), listener);
            var uri = request.uri();
            Session session = new Session(stream, true, options,
                    deflate != null ? new PerMessageDeflate(false, deflate, options.compression()) : null,
                    connection.hooks(), () -> "WebSocket client of " + uri);
            connection.attach(session);
            Coroutines.spawnOn(stream.loop(), () -> {
                session.run(null);
                return null;
            });
            return connection;
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
    }
}
