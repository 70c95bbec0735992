package io.squall.websocket;

import java.util.zip.Deflater;

/**
 * Settings of the permessage-deflate extension (RFC 7692) on one side; null where a connection takes
 * them means no compression.
 *
 * @param level the {@link Deflater} level of outgoing messages (0–9; Tornado's default is 6)
 * @param serverNoContextTakeover whether the server compresses each message on its own (asked for by a
 *     client, or imposed by a server): costs ratio, saves the 32 KiB window kept per connection
 * @param clientNoContextTakeover the same for the client's messages
 * @param serverMaxWindowBits on a client, the largest window (8–15) to ask the server to compress with, or
 *     0 to ask nothing; the JDK cannot compress with less than 15, so a server declines offers asking it
 * @param minSize messages shorter than this many bytes are sent uncompressed (RFC 7692 allows it per message)
 */
public record DeflateOptions(int level, boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                             int serverMaxWindowBits, int minSize) {
    /** Level 6, context takeover both ways, every message compressed. */
    public static final DeflateOptions DEFAULTS = new DeflateOptions(6, false, false, 0, 0);

    /** Checks the ranges. */
    public DeflateOptions {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("level must be 0-9, not " + level);
        }
        if (serverMaxWindowBits != 0 && (serverMaxWindowBits < 8 || serverMaxWindowBits > 15)) {
            throw new IllegalArgumentException("serverMaxWindowBits must be 8-15 or 0, not " + serverMaxWindowBits);
        }
        if (minSize < 0) {
            throw new IllegalArgumentException("minSize must not be negative");
        }
    }

    /** These options with the given no-context-takeover settings. */
    public DeflateOptions withNoContextTakeover(boolean server, boolean client) {
        return new DeflateOptions(level, server, client, serverMaxWindowBits, minSize);
    }

    /** These options asking the server for at most {@code bits} of window (client side). */
    public DeflateOptions withServerMaxWindowBits(int bits) {
        return new DeflateOptions(level, serverNoContextTakeover, clientNoContextTakeover, bits, minSize);
    }
}
