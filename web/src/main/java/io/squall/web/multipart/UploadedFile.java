package io.squall.web.multipart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file of a {@code multipart/form-data} request (Tornado's {@code HTTPFile}): its field name, file name,
 * content type and bytes, held in memory up to {@link MultipartOptions#fileThreshold()} and in a temporary
 * file above it. The temporary file is deleted when the request ends: {@link #moveTo} it to keep it.
 *
 * <p>{@link #bytes()}, {@link #openStream()} and {@link #moveTo} touch the disk for a file that is not
 * {@linkplain #inMemory() in memory}: on a loop, run them with {@code IOLoop.runInExecutor} for large files.
 */
public final class UploadedFile {
    private static final byte[] EMPTY = {};

    private final String fieldName;
    private final String filename;
    private final String contentType;
    private long size;
    private byte[] memory = EMPTY;
    /** Written by the executor thread that creates the file, read on the loop after that write completed. */
    private volatile Path path;
    private volatile FileChannel channel;
    private volatile boolean moved;

    UploadedFile(PartHead head) {
        this.fieldName = head.name();
        this.filename = head.filename();
        this.contentType = head.contentType() != null ? head.contentType() : "application/octet-stream";
    }

    /** The name of the form field. */
    public String fieldName() {
        return fieldName;
    }

    /**
     * The file name the client sent (UTF-8; from {@code filename*} if present), possibly empty, possibly with
     * a path: never use it as a path without checking it.
     */
    public String filename() {
        return filename;
    }

    /** The part's content type; {@code application/octet-stream} if it had none. */
    public String contentType() {
        return contentType;
    }

    /** The size in bytes. */
    public long size() {
        return size;
    }

    /** Whether the bytes are in memory (no larger than the threshold) rather than in a temporary file. */
    public boolean inMemory() {
        return path == null;
    }

    /** The temporary file holding the bytes, or null if they are in memory. */
    public Path path() {
        return path;
    }

    /**
     * The bytes (read from the temporary file if there is one).
     *
     * @throws UncheckedIOException if the temporary file cannot be read
     * @throws IllegalStateException if the file is too large for an array or was moved away
     */
    public byte[] bytes() {
        if (path == null) {
            return memory.clone();
        }
        checkNotMoved();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("an upload of " + size + " bytes does not fit in an array");
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream of the bytes; close it. */
    public InputStream openStream() throws IOException {
        if (path == null) {
            return new ByteArrayInputStream(memory);
        }
        checkNotMoved();
        return Files.newInputStream(path);
    }

    /**
     * Stores the bytes at {@code target} (replacing it): moves the temporary file there, or writes the
     * bytes held in memory. The upload then no longer has a temporary file to delete.
     */
    public void moveTo(Path target) throws IOException {
        if (path == null) {
            Files.write(target, memory);
            return;
        }
        checkNotMoved();
        Files.move(path, target, StandardCopyOption.REPLACE_EXISTING);
        moved = true;
    }

    private void checkNotMoved() {
        if (moved) {
            throw new IllegalStateException("the upload was moved away");
        }
    }

    // ------------------------------------------------------------------ filled by MultipartForm

    void addToMemory(byte[] bytes) {
        memory = bytes;
    }

    void grow(long n) {
        size += n;
    }

    /** Appends {@code bytes} to the temporary file, creating it first; blocking (on an executor thread). */
    void appendToDisk(byte[] bytes, Path directory) throws IOException {
        if (channel == null) {
            Path created = directory == null
                    ? Files.createTempFile("squall-upload-", ".part")
                    : Files.createTempFile(directory, "squall-upload-", ".part");
            channel = FileChannel.open(created, StandardOpenOption.WRITE);
            path = created;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Closes the temporary file once written; blocking. */
    void closeDisk() throws IOException {
        FileChannel open = channel;
        if (open != null) {
            open.close();
        }
    }

    /** Deletes the temporary file unless it was moved away; blocking. */
    void delete() {
        try {
            closeDisk();
            Path file = path;
            if (file != null && !moved) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // best effort: the file is in the temporary directory
        }
    }

    @Override
    public String toString() {
        return "UploadedFile[" + fieldName + ": " + filename + ", " + contentType + ", " + size + " bytes]";
    }
}
