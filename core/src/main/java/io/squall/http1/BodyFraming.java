package io.squall.http1;

/**
 * How the body of a message is delimited on the wire (RFC 9112 §6.3), decided from its head.
 *
 * <pre>{@code
 * switch (head.framing()) {
 *     case BodyFraming.None none -> finishMessage();
 *     case BodyFraming.ContentLength(long length) -> readExactly(length);
 *     case BodyFraming.Chunked chunked -> decodeWith(new ChunkedDecoder(maxBodySize, sink));
 *     case BodyFraming.UntilClose untilClose -> readUntilClose();
 * }
 * }</pre>
 */
public sealed interface BodyFraming {
    /** No body: a request without Content-Length or Transfer-Encoding, or a HEAD, 1xx, 204 or 304 response. */
    None NONE = new None();
    /** A chunked body. */
    Chunked CHUNKED = new Chunked();
    /** A response body that ends when the server closes the connection. */
    UntilClose UNTIL_CLOSE = new UntilClose();

    /** No body follows the head. */
    record None() implements BodyFraming {}

    /**
     * Exactly {@code length} bytes follow the head.
     *
     * @param length the Content-Length, zero or more
     */
    record ContentLength(long length) implements BodyFraming {
        /** Checks that the length is not negative. */
        public ContentLength {
            if (length < 0) {
                throw new IllegalArgumentException("negative Content-Length " + length);
            }
        }
    }

    /** The body uses the chunked transfer coding: decode it with a {@link ChunkedDecoder}. */
    record Chunked() implements BodyFraming {}

    /** The body is everything the server sends until it closes the connection (responses only). */
    record UntilClose() implements BodyFraming {}
}
