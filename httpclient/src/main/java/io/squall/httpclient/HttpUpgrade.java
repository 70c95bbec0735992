package io.squall.httpclient;

import io.squall.iostream.IOStream;

/**
 * The outcome of {@link AsyncHttpClient#upgrade}: the server's response, and if it switched protocols
 * (101), the connection's stream, which belongs to the caller from then on.
 *
 * @param response the response (the head only, for a 101)
 * @param stream the connection's stream after a 101, or null if the server answered otherwise
 */
public record HttpUpgrade(HttpResponse response, IOStream stream) {
    /** Whether the server switched protocols. */
    public boolean switched() {
        return stream != null;
    }
}
