package io.squall.bench.http;

import static io.squall.gen.Coroutines.await;

import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import io.squall.web.StreamRequestBody;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Squall's side of the static-file and upload benchmarks ({@code bench/scripts/static.sh}), on one loop:
 * {@code /static/} serves the directory {@code args[1]} (the application's {@code staticPath}); {@code PUT
 * /upload} streams the body to {@code args[1]/upload.bin} ({@link StreamRequestBody}, writes on the
 * executor) and answers {@code size sha256}; {@code GET /heap} answers the peak heap use in MiB since the
 * last {@code GET /heap?reset=1} (the sum of the heap pools' peaks: an upper bound). Access logging is off.
 */
public final class SquallStaticServer {
    private SquallStaticServer() {}

    /** Serves on port {@code args[0]} the directory {@code args[1]} until killed. */
    public static void main(String[] args) {
        IOLoop loop = new IOLoop();
        loop.makeCurrent();
        Path directory = Path.of(args[1]);
        Application app = Application.builder()
                .staticPath(directory)
                .route("/upload", () -> new Upload(directory.resolve("upload.bin")))
                .route("/heap", Heap::new)
                .logFunction(handler -> {})
                .build();
        app.listen(Integer.parseInt(args[0]), "127.0.0.1");
        loop.start();
    }

    /** Streams the request body to a file while hashing it. */
    @StreamRequestBody
    static final class Upload extends RequestHandler {
        private final Path target;
        private FileChannel out;
        private MessageDigest digest;
        private long size;

        Upload(Path target) {
            this.target = target;
        }

        @Override
        protected void prepare() throws Exception {
            request().connection().setMaxBodySize(1L << 40);
            digest = MessageDigest.getInstance("SHA-256");
            out = await(IOLoop.current().runInExecutor(null, () -> FileChannel.open(target,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)));
        }

        @Override
        protected void dataReceived(ByteBuffer chunk) {
            size += chunk.remaining();
            digest.update(chunk.duplicate());
            await(IOLoop.current().runInExecutor(null, () -> {
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                return null;
            }));
        }

        @Override
        protected void put() {
            await(IOLoop.current().runInExecutor(null, () -> {
                out.close();
                return null;
            }));
            write(size + " " + HexFormat.of().formatHex(digest.digest()) + "\n");
        }
    }

    /** The peak heap use since the last reset, in MiB. */
    static final class Heap extends RequestHandler {
        @Override
        protected void get() {
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                    if (getArgument("reset", null) != null) {
                        pool.resetPeakUsage();
                    }
                }
            }
            write(String.format("%.1f%n", peak / 1048576.0));
        }
    }
}
