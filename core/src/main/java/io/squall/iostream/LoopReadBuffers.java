package io.squall.iostream;

import io.squall.ioloop.IOLoop;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One direct buffer per loop that every plain stream of the loop reads the socket into before copying
 * the bytes to its own {@link ReadBuffer}. Sharing is safe because a loop runs one piece of code at a
 * time and a stream never keeps bytes in this buffer between calls.
 */
final class LoopReadBuffers {
    private static final Map<IOLoop, ByteBuffer> BUFFERS = new WeakHashMap<>();

    private LoopReadBuffers() {}

    /** The loop's read buffer, replaced by a larger one if it holds fewer than {@code capacity} bytes. */
    static synchronized ByteBuffer forLoop(IOLoop loop, int capacity) {
        ByteBuffer buffer = BUFFERS.get(loop);
        if (buffer == null || buffer.capacity() < capacity) {
            buffer = ByteBuffer.allocateDirect(capacity);
            BUFFERS.put(loop, buffer);
        }
        return buffer;
    }
}
