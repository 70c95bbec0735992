package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.concurrent.Future;
import io.squall.httpserver.HttpServerOptions;
import io.squall.ioloop.IOLoop;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StreamRequestBody} handlers over real sockets (Tornado's stream_request_body tests, and more). */
class StreamingBodyTest extends WebTestCase {
    @TempDir
    Path directory;

    /** Records its calls; each piece of the body waits for a loop iteration, and must never overlap the next. */
    @StreamRequestBody
    static class RecordingHandler extends RequestHandler {
        final List<String> calls;
        private boolean inDataReceived;

        RecordingHandler(List<String> calls) {
            this.calls = calls;
        }

        @Override
        protected void prepare() {
            calls.add("prepare");
            if (getQueryArgument("limit", null) != null) {
                request().connection().setMaxBodySize(Long.parseLong(getQueryArgument("limit")));
            }
            if (getQueryArgument("deny", null) != null) {
                throw new HttpError(401);
            }
        }

        @Override
        protected void dataReceived(ByteBuffer chunk) {
            assertTrue(!inDataReceived, "dataReceived re-entered");
            inDataReceived = true;
            calls.add("data " + chunk.remaining());
            await(moment()); // an awaiting dataReceived: the connection reads nothing meanwhile
            inDataReceived = false;
            if (chunk.remaining() > 0 && chunk.get(chunk.position()) == '!') {
                throw new HttpError(422, "refused");
            }
        }

        @Override
        protected void put() {
            calls.add("put");
            write("got " + (calls.size() - 2) + " pieces");
        }

        @Override
        protected void onConnectionClose() {
            calls.add("closed");
        }
    }

    private void serveRecording(List<String> calls, HttpServerOptions options) {
        serve(Application.builder().route("/stream", () -> new RecordingHandler(calls))
                .route("/whole", () -> new RequestHandler() {
                    @Override
                    protected void put() {
                        write("whole " + request().body().length);
                    }
                })
                .serverOptions(options).build());
        // serve() listens with the application's server options
    }

    @Test
    void prepareThenEveryPieceThenTheMethod() {
        List<String> calls = new ArrayList<>();
        run(() -> {
            serveRecording(calls, HttpServerOptions.builder().chunkSize(16).build());
            HttpResponse<String> response = fetch("PUT", "/stream", "x".repeat(50));
            assertEquals("got 4 pieces", response.body());
            assertEquals(List.of("prepare", "data 16", "data 16", "data 16", "data 2", "put"), calls);
        });
    }

    @Test
    void prepareMayRaiseTheBodyLimitOfItsRequest() {
        List<String> calls = new ArrayList<>();
        run(() -> {
            serveRecording(calls, HttpServerOptions.builder().maxBodySize(1000).build());
            String body = "y".repeat(50_000);
            assertEquals(413, fetch("PUT", "/whole", body).statusCode());
            assertEquals(413, fetch("PUT", "/stream", body).statusCode());
            HttpResponse<String> raised = fetch("PUT", "/stream?limit=100000", body);
            assertEquals(200, raised.statusCode());
            assertTrue(raised.body().startsWith("got "), raised.body());
        });
    }

    @Test
    void aResponseFromPrepareEndsTheRequestWithoutReadingTheBody() {
        List<String> calls = new ArrayList<>();
        run(() -> {
            serveRecording(calls, HttpServerOptions.DEFAULTS);
            HttpResponse<String> response = fetch("PUT", "/stream?deny=1", "z".repeat(100_000));
            assertEquals(401, response.statusCode());
            assertEquals(List.of("prepare"), calls);
        });
    }

    @Test
    void anErrorFromDataReceivedIsTheAnswerAndTheRestIsNotRead() {
        List<String> calls = new ArrayList<>();
        run(() -> {
            serveRecording(calls, HttpServerOptions.builder().chunkSize(16).build());
            HttpResponse<String> response = fetch("PUT", "/stream", "a".repeat(16) + "!" + "b".repeat(100_000));
            assertEquals(422, response.statusCode());
            assertEquals(List.of("prepare", "data 16", "data 16"), calls);
        });
    }

    @Test
    void aClientLeavingMidUploadReachesOnConnectionClose() {
        List<String> calls = new ArrayList<>();
        Future<Void> closed = new Future<>();
        run(() -> {
            serve(Application.builder().route("/stream", () -> new RecordingHandler(calls) {
                @Override
                protected void onConnectionClose() {
                    super.onConnectionClose();
                    closed.trySetResult(null);
                }
            }).build());
            await(IOLoop.current().runInExecutor(null, () -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("PUT /stream HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + "q".repeat(1000))
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                return null;
            }));
            await(closed);
            assertEquals("prepare", calls.getFirst());
            assertEquals("closed", calls.getLast());
            assertTrue(!calls.contains("put"), calls.toString());
        });
    }

    /** Writes the body to a file on the executor while hashing it; answers with the size and the hex SHA-256. */
    @StreamRequestBody
    static final class DiskHandler extends RequestHandler {
        private final Path target;
        private FileChannel out;
        private MessageDigest digest;
        private long size;

        DiskHandler(Path target) {
            this.target = target;
        }

        @Override
        protected void prepare() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
            out = await(IOLoop.current().runInExecutor(null, () ->
                    FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE)));
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
            write(size + " " + HexFormat.of().formatHex(digest.digest()));
        }
    }

    /** Deterministic pseudo-random bytes (xorshift), generated as they are read: the client holds none of them. */
    static final class GeneratedStream extends InputStream {
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;

        GeneratedStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            remaining -= n;
            return n;
        }
    }

    @Test
    void a100MegabyteUploadStreamsToDisk() throws Exception {
        long size = 100_000_000L;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new GeneratedStream(size)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) > 0) {
                expected.update(buffer, 0, n);
            }
        }
        String expectedHex = HexFormat.of().formatHex(expected.digest());
        Path target = directory.resolve("upload.bin");
        loop.runSync(() -> {
            serve(Application.builder().route("/upload", () -> new DiskHandler(target)).build());
            HttpRequest request = HttpRequest.newBuilder(uri("/upload")).timeout(Duration.ofMinutes(2))
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedStream(size)), size))
                    .build();
            HttpResponse<String> response = send(request);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(size + " " + expectedHex, response.body());
            return null;
        }, Duration.ofMinutes(2));
        assertEquals(size, Files.size(target));
    }
}
