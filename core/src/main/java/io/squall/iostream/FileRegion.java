package io.squall.iostream;

import java.nio.channels.FileChannel;

/** A range of a file queued for writing: {@link IOStream#writeFile}. The stream never closes the file. */
final class FileRegion {
    final FileChannel file;
    private long position;
    private long remaining;

    FileRegion(FileChannel file, long position, long count) {
        this.file = file;
        this.position = position;
        this.remaining = count;
    }

    long position() {
        return position;
    }

    long remaining() {
        return remaining;
    }

    void advance(long n) {
        position += n;
        remaining -= n;
    }
}
