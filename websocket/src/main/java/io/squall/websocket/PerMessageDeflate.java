package io.squall.websocket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The permessage-deflate extension (RFC 7692) as negotiated for one connection: the negotiation on both
 * sides, and the compression of outgoing messages. Outgoing messages use a raw {@link Deflater} with a
 * 15-bit window (the only one the JDK has), so a server declines an offer that limits its window, and a
 * client never offers {@code client_max_window_bits}; incoming ones an {@link Inflater}, which reads any
 * window size.
 */
final class PerMessageDeflate {
    static final String NAME = "permessage-deflate";
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** What both sides agreed on, as the server's response says it. */
    record Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover, String responseHeader) {}

    private final boolean server;
    private final Agreement agreement;
    private final Deflater deflater;
    private final int minSize;
    private final Inflater inflater = new Inflater(true);

    PerMessageDeflate(boolean server, Agreement agreement, DeflateOptions options) {
        this.server = server;
        this.agreement = agreement;
        this.deflater = new Deflater(options.level(), true);
        this.minSize = options.minSize();
    }

    /** The inflater of the peer's messages. */
    Inflater inflater() {
        return inflater;
    }

    /** Whether the peer compresses each message without context (its inflater is reset per message). */
    boolean peerNoContextTakeover() {
        return server ? agreement.clientNoContextTakeover() : agreement.serverNoContextTakeover();
    }

    /** Whether a message of this size goes out compressed. */
    boolean compresses(int length) {
        return length >= minSize;
    }

    /** {@code message} compressed (without the 4-byte tail RFC 7692 §7.2.1 removes). */
    byte[] compress(byte[] message) {
        deflater.setInput(message);
        byte[] out = new byte[Math.max(64, message.length / 2 + 16)];
        int length = 0;
        while (true) {
            length += deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
            if (length < out.length) {
                break;
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        boolean ownContext = server ? agreement.serverNoContextTakeover() : agreement.clientNoContextTakeover();
        if (ownContext) {
            deflater.reset();
        }
        int end = length;
        if (length >= 4 && Arrays.equals(out, length - 4, length, TAIL, 0, 4)) {
            end = length - 4;
        }
        return Arrays.copyOf(out, end);
    }

    /** Frees the native memory of both contexts. */
    void close() {
        deflater.end();
        inflater.end();
    }

    // ------------------------------------------------------------------ negotiation

    /**
     * On a server: the first acceptable permessage-deflate offer in the client's
     * {@code Sec-WebSocket-Extensions} values, or null to decline them all. Declined: offers with an unknown
     * or repeated parameter or an invalid value, and offers limiting the server's window below 15 bits.
     */
    static Agreement accept(List<String> headerValues, DeflateOptions options) {
        for (Offer offer : parse(headerValues)) {
            if (!offer.name.equals(NAME)) {
                continue;
            }
            Map<String, String> p = offer.params;
            if (p == null || !p.keySet().stream().allMatch(k -> switch (k) {
                case "server_no_context_takeover", "client_no_context_takeover" -> p.get(k) == null;
                case "server_max_window_bits" -> windowBits(p.get(k)) == 15; // the JDK cannot go below
                case "client_max_window_bits" -> p.get(k) == null || windowBits(p.get(k)) > 0;
                default -> false;
            })) {
                continue;
            }
            boolean serverNoContext = options.serverNoContextTakeover() || p.containsKey("server_no_context_takeover");
            boolean clientNoContext = options.clientNoContextTakeover() || p.containsKey("client_no_context_takeover");
            StringBuilder response = new StringBuilder(NAME);
            if (serverNoContext) {
                response.append("; server_no_context_takeover");
            }
            if (clientNoContext) {
                response.append("; client_no_context_takeover");
            }
            return new Agreement(serverNoContext, clientNoContext, response.toString());
        }
        return null;
    }

    /** On a client: the {@code Sec-WebSocket-Extensions} value offering permessage-deflate. */
    static String offer(DeflateOptions options) {
        StringBuilder offer = new StringBuilder(NAME);
        if (options.serverNoContextTakeover()) {
            offer.append("; server_no_context_takeover");
        }
        if (options.clientNoContextTakeover()) {
            offer.append("; client_no_context_takeover");
        }
        if (options.serverMaxWindowBits() != 0) {
            offer.append("; server_max_window_bits=").append(options.serverMaxWindowBits());
        }
        return offer.toString();
    }

    /**
     * On a client: what the server's {@code Sec-WebSocket-Extensions} values agreed to, or null if they
     * are empty.
     *
     * @throws WebSocketError if the response is not a valid answer to {@link #offer}
     */
    static Agreement agreed(List<String> headerValues, DeflateOptions options) {
        List<Offer> extensions = parse(headerValues);
        if (extensions.isEmpty()) {
            return null;
        }
        if (options == null || extensions.size() != 1 || !extensions.getFirst().name.equals(NAME)
                || extensions.getFirst().params == null) {
            throw new WebSocketError("Server accepted extensions that were not offered: " + String.join(", ", headerValues));
        }
        Map<String, String> p = extensions.getFirst().params;
        for (Map.Entry<String, String> e : p.entrySet()) {
            boolean valid = switch (e.getKey()) {
                case "server_no_context_takeover", "client_no_context_takeover" -> e.getValue() == null;
                case "server_max_window_bits" -> {
                    int bits = windowBits(e.getValue());
                    yield bits > 0 && (options.serverMaxWindowBits() == 0 || bits <= options.serverMaxWindowBits());
                }
                default -> false; // client_max_window_bits was not offered: the JDK could not honour it
            };
            if (!valid) {
                throw new WebSocketError("Invalid permessage-deflate response parameter " + e.getKey()
                        + (e.getValue() != null ? "=" + e.getValue() : ""));
            }
        }
        return new Agreement(p.containsKey("server_no_context_takeover"),
                options.clientNoContextTakeover() || p.containsKey("client_no_context_takeover"), null);
    }

    private static int windowBits(String value) {
        if (value == null || value.length() > 2 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? bits : -1;
    }

    /** One extension of the header: its name, and its parameters (null if they were malformed or repeated). */
    private record Offer(String name, Map<String, String> params) {}

    /** Parses {@code ext; param; param=value, ext2} (values may be quoted strings). */
    private static List<Offer> parse(List<String> headerValues) {
        List<Offer> offers = new ArrayList<>();
        for (String value : headerValues) {
            for (String extension : value.split(",")) {
                String[] parts = extension.split(";");
                String name = parts[0].strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                Map<String, String> params = new HashMap<>();
                for (int i = 1; i < parts.length && params != null; i++) {
                    String part = parts[i].strip();
                    int eq = part.indexOf('=');
                    String key = (eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
                    String val = eq < 0 ? null : unquote(part.substring(eq + 1).strip());
                    if (key.isEmpty() || params.containsKey(key)) {
                        params = null;
                    } else {
                        params.put(key, val);
                    }
                }
                offers.add(new Offer(name, params));
            }
        }
        return offers;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
