package io.squall.httpclient;

import static io.squall.gen.Coroutines.await;

import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http1.BodyFraming;
import io.squall.http1.ChunkedDecoder;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * Reads one response body as its framing says (nothing, Content-Length bytes, chunked, or until the
 * server closes), undoes gzip or deflate if the request asks for it, enforces the client's body limit on
 * the decoded size, and either collects the body or hands it to the streaming callback piece by piece.
 * Runs in the fetch's coroutine; a streaming callback that awaits holds the reading back.
 */
final class BodyReader {
    private static final byte[] EMPTY = new byte[0];

    private final HttpClientOptions options;
    private final HttpRequest request;
    private final IOStream stream;
    private final BodyChunkHandler streamingCallback;
    private ContentDecoder decoder;
    private String encoding;
    private byte[] collected = EMPTY;
    private int collectedLength;
    private long decodedSize;

    BodyReader(HttpClientOptions options, HttpRequest request, IOStream stream, BodyChunkHandler streamingCallback) {
        this.options = options;
        this.request = request;
        this.stream = stream;
        this.streamingCallback = streamingCallback;
    }

    /**
     * Reads the body. When it is decoded, {@code headers} lose {@code Content-Encoding} and
     * {@code Content-Length} and gain {@code X-Consumed-Content-Encoding}.
     *
     * @param headers the response's headers, which this may change (they belong to this response only)
     * @return the body, or an empty array if the streaming callback took it
     */
    byte[] read(BodyFraming framing, HttpHeaders headers) {
        if (framing instanceof BodyFraming.None) {
            return EMPTY;
        }
        encoding = headers.get("Content-Encoding");
        if (request.decompressResponse()) {
            decoder = ContentDecoder.forEncoding(encoding, options.chunkSize());
        }
        if (decoder != null) {
            headers.remove("Content-Encoding");
            headers.remove("Content-Length");
            headers.add("X-Consumed-Content-Encoding", encoding.strip());
        }
        try {
            switch (framing) {
                case BodyFraming.ContentLength(long length) -> readLength(length);
                case BodyFraming.Chunked chunked -> readChunked();
                case BodyFraming.UntilClose untilClose -> readUntilClose();
                case BodyFraming.None none -> throw new AssertionError(none);
            }
            if (decoder != null) {
                decoder.finish();
            }
        } catch (DataFormatException e) {
            throw invalidEncoding(e);
        } finally {
            if (decoder != null) {
                decoder.end();
            }
        }
        return collectedLength == collected.length ? collected : Arrays.copyOf(collected, collectedLength);
    }

    private void readLength(long length) {
        if (length > options.maxBodySize()) {
            throw tooLarge("Content-Length " + length + " is too long");
        }
        if (decoder == null && streamingCallback == null) {
            // The common case: one read straight into the body's own array.
            collected = new byte[(int) length];
            try {
                await(stream.readInto(ByteBuffer.wrap(collected), false));
            } catch (StreamClosedError e) {
                throw closedEarly("after fewer than " + length + " body bytes", e);
            }
            collectedLength = collected.length;
            return;
        }
        long remaining = length;
        while (remaining > 0) {
            byte[] piece = readPiece((int) Math.min(options.chunkSize(), remaining), length - remaining, length);
            remaining -= piece.length;
            accept(piece, 0, piece.length);
        }
    }

    private void readChunked() {
        ChunkedDecoder chunks = new ChunkedDecoder(options.maxBodySize(), data -> {
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            accept(copy, 0, copy.length);
        });
        long received = 0;
        while (!chunks.isDone()) {
            byte[] piece = readPiece(options.chunkSize(), received, -1);
            received += piece.length;
            int used;
            try {
                used = chunks.feed(piece, 0, piece.length);
            } catch (HttpInputException e) {
                if (e.status() == 413) {
                    throw tooLarge("Chunked body is too long");
                }
                throw new MalformedResponseException("Invalid chunked body from " + request.uri().getHost() + ": "
                        + e.getMessage(), FetchPhase.RESPONSE_BODY, request, e);
            }
            if (used < piece.length) {
                stream.unread(piece, used, piece.length - used);
            }
        }
    }

    private void readUntilClose() {
        while (true) {
            byte[] piece;
            try {
                piece = await(stream.readBytes(options.chunkSize(), true));
            } catch (StreamClosedError e) {
                if (Exceptions.rootCause(e) instanceof EOFException) {
                    return; // the server's close ends the body
                }
                throw closedEarly("with an error in a body delimited by the close", e);
            }
            accept(piece, 0, piece.length);
        }
    }

    /** Up to {@code max} bytes of the body, of which {@code received} came already ({@code total}: -1 if unknown). */
    private byte[] readPiece(int max, long received, long total) {
        try {
            return await(stream.readBytes(max, true));
        } catch (StreamClosedError e) {
            throw closedEarly("after " + received + (total < 0 ? " bytes of a chunked body" : " of " + total
                    + " body bytes"), e);
        }
    }

    /** Takes raw body bytes: decodes them if needed, then hands them on. */
    private void accept(byte[] buf, int off, int len) {
        if (decoder != null) {
            try {
                decoder.feed(buf, off, len, this::deliver);
            } catch (DataFormatException e) {
                throw invalidEncoding(e);
            }
        } else {
            deliver(off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, off + len));
        }
    }

    /** Takes decoded body bytes: checks the limit, then collects them or calls the streaming callback. */
    private void deliver(byte[] piece) {
        decodedSize += piece.length;
        if (decodedSize > options.maxBodySize()) {
            throw tooLarge(decoder != null ? "Decompressed body is too long" : "Body is too long");
        }
        if (streamingCallback != null) {
            try {
                streamingCallback.onChunk(piece);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new HttpClientException("The streaming callback of " + request + " failed: " + e,
                        FetchPhase.RESPONSE_BODY, request, e);
            }
            return;
        }
        if (collectedLength + piece.length > collected.length) {
            collected = Arrays.copyOf(collected, Math.max(collectedLength + piece.length, collected.length * 2));
        }
        System.arraycopy(piece, 0, collected, collectedLength, piece.length);
        collectedLength += piece.length;
    }

    private MalformedResponseException invalidEncoding(DataFormatException e) {
        return new MalformedResponseException("Invalid " + encoding + " body from " + request.uri().getHost() + ": "
                + e.getMessage(), FetchPhase.RESPONSE_BODY, request, e);
    }

    private ResponseTooLargeException tooLarge(String what) {
        return new ResponseTooLargeException(what, FetchPhase.RESPONSE_BODY, options.maxBodySize(), request);
    }

    private StreamClosedEarlyException closedEarly(String where, StreamClosedError e) {
        Throwable cause = Exceptions.rootCause(e);
        return new StreamClosedEarlyException("Connection closed " + where + ": " + cause, FetchPhase.RESPONSE_BODY,
                request, cause);
    }
}
