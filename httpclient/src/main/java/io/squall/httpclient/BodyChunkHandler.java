package io.squall.httpclient;

/**
 * Receives the response body as it arrives instead of collecting it (Tornado's
 * {@code streaming_callback}); the response's {@link HttpResponse#body()} is then empty. It runs in the
 * fetch's coroutine on the loop and may {@code await}: the client reads nothing more until it returns,
 * so a slow consumer slows the server down instead of filling memory. After redirects it sees only the
 * final response's body, decompressed if the request asks for it.
 */
@FunctionalInterface
public interface BodyChunkHandler {
    /** Handles the next piece of the body; the array is the handler's to keep. */
    void onChunk(byte[] chunk) throws Exception;
}
