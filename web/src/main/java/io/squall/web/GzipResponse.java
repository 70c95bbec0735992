package io.squall.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * The gzip content coding of one response body, for the {@link Application.Builder#compressResponse}
 * setting (Tornado's {@code GZipContentEncoding}): which responses qualify, and the encoder that turns each
 * piece of the body into gzip bytes, flushed so that a streamed response reaches the client piece by piece.
 */
final class GzipResponse {
    /** A finished body shorter than this is not worth compressing. */
    static final int MIN_LENGTH = 1024;
    private static final int LEVEL = 6;
    private static final Set<String> COMPRESSIBLE = Set.of("application/javascript", "application/x-javascript",
            "application/xml", "application/atom+xml", "application/json", "application/xhtml+xml", "image/svg+xml");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final GZIPOutputStream gzip;

    GzipResponse() {
        try {
            gzip = new GZIPOutputStream(out, 8192, true) {
                {
                    def.setLevel(LEVEL);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    /**
     * Whether a response qualifies: the client accepts gzip with a quality above 0, the method is not HEAD,
     * the status carries a whole body (not 1xx, 204, 206 or 304), the body is not encoded already, its type
     * is text, JSON, JavaScript, XML or SVG, and it is either streamed or at least {@link #MIN_LENGTH} long.
     */
    static boolean qualifies(String acceptEncoding, String method, int status, String contentType,
            String contentEncoding, boolean streamed, long length) {
        return Negotiation.codingQuality(acceptEncoding, "gzip") > 0
                && !"HEAD".equals(method)
                && status >= 200 && status != 204 && status != 206 && status != 304
                && contentEncoding == null
                && compressible(contentType)
                && (streamed || length >= MIN_LENGTH);
    }

    /** Whether {@code contentType} (with or without parameters) is worth compressing. */
    static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || COMPRESSIBLE.contains(type) || type.endsWith("+json") || type.endsWith("+xml");
    }

    /**
     * The gzip bytes of {@code chunk}, flushed (so that they can be decoded up to the end of {@code chunk});
     * with {@code last}, followed by the gzip trailer.
     */
    byte[] encode(byte[] chunk, boolean last) {
        try {
            gzip.write(chunk);
            if (last) {
                gzip.finish();
            } else {
                gzip.flush(); // SYNC_FLUSH
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] encoded = out.toByteArray();
        out.reset();
        if (last) {
            releaseDeflater();
        }
        return encoded;
    }

    /**
     * Frees the native memory of the deflater once the trailer is out (closing writes nothing more); an
     * encoder left unfinished, by a connection that closed, is freed by the deflater's cleaner.
     */
    private void releaseDeflater() {
        try {
            gzip.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
