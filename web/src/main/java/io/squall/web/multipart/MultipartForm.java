package io.squall.web.multipart;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code multipart/form-data} body read as it arrives: fields (parts without a file name) as UTF-8
 * strings, files as {@link UploadedFile}s, those above {@link MultipartOptions#fileThreshold()} written to
 * temporary files on the loop's executor, never on the loop. {@link #close()} deletes the temporary files.
 * Confined to one loop.
 *
 * <pre>{@code
 * MultipartForm form = new MultipartForm(request.headers().get("Content-Type"), MultipartOptions.DEFAULTS);
 * Future<Void> stored = form.feed(chunk);   // for each piece; await a non-null result before the next
 * form.end();
 * form.files().get("upload");               // ... then form.close()
 * }</pre>
 */
public final class MultipartForm implements AutoCloseable, MultipartParser.Listener {
    private final MultipartOptions options;
    private final MultipartParser parser;
    private final Map<String, List<String>> fields = new LinkedHashMap<>();
    private final Map<String, List<UploadedFile>> files = new LinkedHashMap<>();
    private final List<UploadedFile> all = new ArrayList<>();
    /** The current part: the name of a field, or a file; and its bytes while they are held in memory. */
    private PartHead part;
    private UploadedFile file;
    private ByteArrayOutputStream held;
    /** What the current piece sends to disk: runs of bytes per file, in order. */
    private final List<DiskWrite> diskWrites = new ArrayList<>();
    /** The last disk work handed to the executor; deletion waits for it. */
    private Future<Void> lastDiskWork = Future.completed(null);
    private volatile IOException diskFailure;
    private boolean closed;

    private record DiskWrite(UploadedFile file, ByteArrayOutputStream bytes, boolean last) {}

    /**
     * A form for a body of content type {@code contentType}.
     *
     * @throws MultipartException (400) if it is not {@code multipart/form-data} with a valid boundary
     */
    public MultipartForm(String contentType, MultipartOptions options) throws MultipartException {
        this.options = options;
        this.parser = new MultipartParser(MultipartParser.boundaryOf(contentType), options, this);
    }

    /**
     * Parses the next piece of the body. Returns null when everything is in memory, or a future that
     * completes (never fails) once this piece's bytes are in their temporary files: await it before the
     * next piece, so that a fast client is throttled to the disk's speed.
     *
     * @throws MultipartException at the first error; the form then takes no more input
     */
    public Future<Void> feed(ByteBuffer chunk) throws MultipartException {
        if (closed) {
            throw new IllegalStateException("the form is closed");
        }
        if (chunk.hasArray()) {
            parser.feed(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            chunk.position(chunk.limit());
        } else {
            byte[] copy = new byte[chunk.remaining()];
            chunk.get(copy);
            parser.feed(copy, 0, copy.length);
        }
        return startDiskWrites();
    }

    /**
     * The body ended.
     *
     * @throws MultipartException (400) if the closing boundary was missing, (500) if a file could not be stored
     */
    public void end() throws MultipartException {
        parser.finish();
        IOException failure = diskFailure;
        if (failure != null) {
            throw new MultipartException(500, "cannot store an uploaded file: " + failure.getMessage());
        }
    }

    /** The fields by name, values in order. */
    public Map<String, List<String>> fields() {
        return Collections.unmodifiableMap(fields);
    }

    /** The files by field name, in order. */
    public Map<String, List<UploadedFile>> files() {
        return Collections.unmodifiableMap(files);
    }

    /** Deletes the temporary files (on the executor, once the writes under way are done). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        diskWrites.clear(); // a piece that failed to parse: its writes never started
        if (lastDiskWork.isDone() && all.stream().allMatch(UploadedFile::inMemory)) {
            return;
        }
        IOLoop loop = IOLoop.current();
        List<UploadedFile> toDelete = List.copyOf(all);
        lastDiskWork.addDoneCallback(f -> loop.runInExecutor(null, () -> {
            toDelete.forEach(UploadedFile::delete);
            return null;
        }));
    }

    // ------------------------------------------------------------------ parser events

    @Override
    public void partStarted(PartHead head) {
        part = head;
        held = new ByteArrayOutputStream();
        if (head.isFile()) {
            file = new UploadedFile(head);
            files.computeIfAbsent(head.name(), k -> new ArrayList<>()).add(file);
            all.add(file);
        }
    }

    @Override
    public void partData(byte[] data, int offset, int length) throws MultipartException {
        if (file == null) {
            if (held.size() + length > options.maxFieldSize()) {
                throw new MultipartException(413, "multipart/form-data field \"" + part.name()
                        + "\" is larger than " + options.maxFieldSize() + " bytes");
            }
            held.write(data, offset, length);
            return;
        }
        file.grow(length);
        if (held != null && file.size() <= options.fileThreshold()) {
            held.write(data, offset, length);
            return;
        }
        ByteArrayOutputStream run;
        if (held != null) { // the threshold is crossed: what was held goes to disk first
            run = held;
            held = null;
            diskWrites.add(new DiskWrite(file, run, false));
        } else if (!diskWrites.isEmpty() && diskWrites.getLast().file() == file) {
            run = diskWrites.getLast().bytes();
        } else {
            run = new ByteArrayOutputStream(length);
            diskWrites.add(new DiskWrite(file, run, false));
        }
        run.write(data, offset, length);
    }

    @Override
    public void partEnded() throws MultipartException {
        if (file == null) {
            String value = HeaderParameters.decode(held.toByteArray(), StandardCharsets.UTF_8,
                    "field \"" + part.name() + "\"");
            fields.computeIfAbsent(part.name(), k -> new ArrayList<>()).add(value);
        } else if (held != null) {
            file.addToMemory(held.toByteArray());
        } else {
            diskWrites.add(new DiskWrite(file, new ByteArrayOutputStream(0), true));
        }
        part = null;
        file = null;
        held = null;
    }

    /** Hands this piece's disk writes to the executor; null if there are none. */
    private Future<Void> startDiskWrites() {
        if (diskWrites.isEmpty()) {
            return null;
        }
        List<DiskWrite> batch = List.copyOf(diskWrites);
        diskWrites.clear();
        Path directory = options.tempDirectory();
        Future<Void> done = new Future<>();
        IOLoop.current().runInExecutor(null, () -> {
            if (diskFailure == null) {
                try {
                    for (DiskWrite write : batch) {
                        write.file().appendToDisk(write.bytes().toByteArray(), directory);
                        if (write.last()) {
                            write.file().closeDisk();
                        }
                    }
                } catch (IOException e) {
                    diskFailure = e;
                }
            }
            return null;
        }).addDoneCallback(f -> done.trySetResult(null));
        lastDiskWork = done;
        return done;
    }
}
