package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.RequestStartLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses {@code Content-Encoding: gzip} request bodies for a server with
 * {@link HttpServerOptions#decompressRequest()} (Tornado's {@code _GzipMessageDelegate}). The
 * compressed body is collected (the connection already bounds its size), then inflated piece by piece
 * into the wrapped delegate; the decompressed size is bounded by the request's maximum body size, so a
 * small "gzip bomb" gets 413 instead of filling memory. The delegate sees the request without
 * {@code Content-Encoding} and {@code Content-Length}, with {@code X-Consumed-Content-Encoding} instead.
 */
final class GzipRequestDelegate implements HttpMessageDelegate {
    private final HttpMessageDelegate inner;
    private final int chunkSize;
    private final LongSupplier maxBodySize;
    private ByteArrayOutputStream compressed;

    GzipRequestDelegate(HttpMessageDelegate inner, int chunkSize, LongSupplier maxBodySize) {
        this.inner = inner;
        this.chunkSize = chunkSize;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public Future<?> headersReceived(RequestStartLine startLine, HttpHeaders headers) throws Exception {
        String encoding = headers.get("Content-Encoding");
        if (encoding != null && encoding.strip().toLowerCase(Locale.ROOT).equals("gzip")) {
            compressed = new ByteArrayOutputStream();
            headers.remove("Content-Encoding");
            headers.remove("Content-Length");
            headers.add("X-Consumed-Content-Encoding", encoding);
        }
        return inner.headersReceived(startLine, headers);
    }

    @Override
    public Future<?> dataReceived(ByteBuffer chunk) throws Exception {
        if (compressed == null) {
            return inner.dataReceived(chunk);
        }
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        compressed.write(bytes);
        return null;
    }

    @Override
    public void finish() throws Exception {
        if (compressed != null && compressed.size() > 0) {
            inflateInto(compressed.toByteArray());
        }
        inner.finish();
    }

    private void inflateInto(byte[] gzip) throws Exception {
        long limit = maxBodySize.getAsLong();
        byte[] piece = new byte[chunkSize];
        long total = 0;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), chunkSize)) {
            int n;
            while ((n = in.readNBytes(piece, 0, piece.length)) > 0) {
                total += n;
                if (total > limit) {
                    throw new HttpInputException(413, "decompressed body exceeds " + limit + " bytes");
                }
                Future<?> flow = inner.dataReceived(ByteBuffer.wrap(piece, 0, n));
                if (flow != null) {
                    await(flow);
                }
            }
        } catch (IOException e) {
            throw new HttpInputException(400, "malformed gzip request body: " + e.getMessage());
        }
    }

    @Override
    public void onConnectionClose() {
        inner.onConnectionClose();
    }
}
