package io.squall.websocket;

import io.squall.concurrent.Future;
import io.squall.gen.Coroutines;
import io.squall.http.HttpHeaders;
import io.squall.iostream.IOStream;
import io.squall.web.RequestHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Serves a WebSocket (RFC 6455) on a route (Tornado's {@code WebSocketHandler}). Subclass it, override
 * the hooks, and route to it like any handler:
 *
 * <pre>{@code
 * class EchoHandler extends WebSocketHandler {
 *     @Override
 *     protected void onMessage(String message) {
 *         await(writeMessage("You said: " + message));   // awaiting the write is flow control
 *     }
 * }
 * Application.builder().route("/ws", EchoHandler::new)...
 * }</pre>
 *
 * <h2>Handshake</h2>
 * A GET with {@code Upgrade: websocket}, {@code Connection: Upgrade}, {@code Sec-WebSocket-Version: 13}
 * and a valid {@code Sec-WebSocket-Key} is answered with 101; otherwise 400 (not an upgrade, missing or
 * malformed key) or 426 with {@code Sec-WebSocket-Version: 13} (another version). A request whose
 * {@code Origin} fails {@link #checkOrigin} gets 403. {@link #prepare()} runs before the handshake (it may
 * refuse it, or set extra response headers); {@link #selectSubprotocol} picks a subprotocol;
 * {@link #webSocketOptions()} sets limits, pings and permessage-deflate.
 *
 * <h2>Lifecycle</h2>
 * All hooks run in one coroutine on the connection's loop, one at a time, and may await: {@link #open}
 * first (no message is delivered before it returns), then {@link #onMessage(String)} /
 * {@link #onMessage(byte[])} for each message in order (the connection reads nothing more while a hook
 * waits), {@link #onPing}, {@link #onPong}, and {@link #onClose()} exactly once at the end, however the
 * connection ends. An exception in a hook is logged and closes the connection with 1011.
 */
public abstract class WebSocketHandler extends RequestHandler {
    private Session session;
    private String selectedSubprotocol;

    /** For subclasses. */
    protected WebSocketHandler() {}

    // ------------------------------------------------------------------ hooks

    /**
     * Settings of this connection (size limit, pings, close timeout, compression): {@link WebSocketOptions#DEFAULTS}
     * unless overridden. Compression is used when these options have it and the client offers it.
     */
    protected WebSocketOptions webSocketOptions() {
        return WebSocketOptions.DEFAULTS;
    }

    /**
     * Whether to accept a handshake with this {@code Origin} header (called only when there is one; a
     * refusal is a 403). By default only the same origin: the origin's host and port must equal the
     * request's {@code Host}. Override it to allow other origins, as cross-site requests carry the
     * user's cookies.
     */
    protected boolean checkOrigin(String origin) {
        try {
            String authority = new URI(origin).getRawAuthority();
            String host = request().headers().get("Host");
            return authority != null && host != null
                    && authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * The subprotocol to use among those the client offered (in its order of preference), or null for none.
     * Called only when the client offered some; null by default.
     */
    protected String selectSubprotocol(List<String> offered) {
        return null;
    }

    /** The connection is open. {@code pathArgs} are the route's groups, as {@link #pathArgs()}. Nothing by default. */
    protected void open(List<String> pathArgs) throws Exception {}

    /** A text message arrived. By default the connection is closed with 1003 (unsupported data). */
    protected void onMessage(String message) throws Exception {
        close(CloseCodes.UNSUPPORTED_DATA, "text messages are not accepted");
    }

    /** A binary message arrived. By default the connection is closed with 1003 (unsupported data). */
    protected void onMessage(byte[] message) throws Exception {
        close(CloseCodes.UNSUPPORTED_DATA, "binary messages are not accepted");
    }

    /** A ping arrived (the pong is already sent). Nothing by default. */
    protected void onPing(byte[] payload) throws Exception {}

    /** A pong arrived. Nothing by default. */
    protected void onPong(byte[] payload) throws Exception {}

    /** The connection is over (called once). {@link #closeCode()} tells how the client closed, if it did. */
    protected void onClose() throws Exception {}

    // ------------------------------------------------------------------ the handshake

    @Override
    protected final void get() throws Exception {
        HttpHeaders headers = request().headers();
        if (!"websocket".equalsIgnoreCase(headers.get("Upgrade"))) {
            refuse(400, "Can \"Upgrade\" only to \"WebSocket\".");
            return;
        }
        if (!headers.containsToken("Connection", "upgrade")) {
            refuse(400, "\"Connection\" must be \"Upgrade\".");
            return;
        }
        String origin = headers.get("Origin");
        if (origin != null && !checkOrigin(origin)) {
            refuse(403, "Cross origin websockets not allowed");
            return;
        }
        if (!Handshake.VERSION.equals(headers.get("Sec-WebSocket-Version"))) {
            setHeader("Sec-WebSocket-Version", Handshake.VERSION);
            refuse(426, "Upgrade Required");
            return;
        }
        String key = headers.get("Sec-WebSocket-Key");
        if (headers.getAll("Sec-WebSocket-Key").size() != 1 || !Handshake.isValidKey(key)) {
            refuse(400, "Missing/Invalid WebSocket headers");
            return;
        }
        List<String> offered = Handshake.tokens(headers.getAll("Sec-WebSocket-Protocol"));
        selectedSubprotocol = offered.isEmpty() ? null : selectSubprotocol(offered);
        if (selectedSubprotocol != null && !offered.contains(selectedSubprotocol)) {
            throw new IllegalStateException("selectSubprotocol chose " + selectedSubprotocol + ", which was not offered");
        }
        WebSocketOptions options = webSocketOptions();
        PerMessageDeflate.Agreement deflate = options.compression() == null ? null
                : PerMessageDeflate.accept(headers.getAll("Sec-WebSocket-Extensions"), options.compression());

        setStatus(101);
        clearHeader("Content-Type");
        setHeader("Upgrade", "websocket");
        setHeader("Connection", "Upgrade");
        setHeader("Sec-WebSocket-Accept", Handshake.accept(key));
        if (selectedSubprotocol != null) {
            setHeader("Sec-WebSocket-Protocol", selectedSubprotocol);
        }
        if (deflate != null) {
            setHeader("Sec-WebSocket-Extensions", deflate.responseHeader());
        }
        flush();
        IOStream stream = detach();
        session = new Session(stream, false, options,
                deflate != null ? new PerMessageDeflate(true, deflate, options.compression()) : null,
                new Hooks(), () -> getClass().getSimpleName() + " " + requestSummary());
        Coroutines.spawnOn(stream.loop(), () -> {
            session.run(() -> open(pathArgs()));
            return null;
        });
    }

    private void refuse(int status, String message) {
        setStatus(status);
        setHeader("Content-Type", "text/plain; charset=UTF-8");
        finish(message);
    }

    /** The hooks as the session calls them. */
    private final class Hooks implements Session.Application {
        @Override
        public void onText(String text) throws Exception {
            onMessage(text);
        }

        @Override
        public void onBinary(byte[] data) throws Exception {
            onMessage(data);
        }

        @Override
        public void onPing(byte[] payload) throws Exception {
            WebSocketHandler.this.onPing(payload);
        }

        @Override
        public void onPong(byte[] payload) throws Exception {
            WebSocketHandler.this.onPong(payload);
        }

        @Override
        public void onClose() throws Exception {
            WebSocketHandler.this.onClose();
        }
    }

    // ------------------------------------------------------------------ using the connection

    /**
     * Sends a text message. The future completes when the frame reached the kernel (await it for flow
     * control) and fails with {@link WebSocketClosedError} once the connection is closed or closing.
     */
    public Future<Void> writeMessage(String message) {
        return openSession().sendValue(message, null);
    }

    /** Sends a binary message; see {@link #writeMessage(String)}. */
    public Future<Void> writeMessage(byte[] message) {
        return openSession().sendValue(message, null);
    }

    /** Sends {@code value} as a JSON text message (through the application's object mapper); see {@link #writeMessage(String)}. */
    public Future<Void> writeMessage(Object value) {
        return openSession().sendValue(value, application().objectMapper());
    }

    /**
     * Sends a ping with {@code payload} (at most 125 bytes); the pong arrives at {@link #onPong}.
     *
     * @throws IllegalArgumentException if the payload is longer
     */
    public Future<Void> ping(byte[] payload) {
        return openSession().ping(payload);
    }

    /** {@link #close(Integer, String)} with 1000 (normal closure) and no reason. */
    public void close() {
        close(CloseCodes.NORMAL, null);
    }

    /**
     * Starts the closing handshake: sends a close frame with {@code code} (null for none) and
     * {@code reason}, and closes TCP once the client answered, or after the close timeout. Does nothing if
     * the connection is closing already.
     *
     * @throws IllegalArgumentException if {@code code} may not be sent (RFC 6455 §7.4) or the reason is
     *     over 123 bytes of UTF-8, or given without a code
     */
    public void close(Integer code, String reason) {
        openSession().close(code, reason);
    }

    /** The code of the client's close frame, or null (not closed by the client, or no code in its frame). */
    public Integer closeCode() {
        return session == null ? null : session.closeCode();
    }

    /** The reason of the client's close frame, or null. */
    public String closeReason() {
        return session == null ? null : session.closeReason();
    }

    /** The subprotocol {@link #selectSubprotocol} chose, or null. */
    public String selectedSubprotocol() {
        return selectedSubprotocol;
    }

    /** Whether the connection is closed or closing (a close frame was sent). */
    public boolean isClosing() {
        return session == null || session.isClosing();
    }

    private Session openSession() {
        if (session == null) {
            throw new IllegalStateException("the WebSocket is not open yet");
        }
        return session;
    }
}
