package io.squall.guide;

import static io.squall.gen.Coroutines.await;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import io.squall.web.StreamRequestBody;
import io.squall.web.multipart.UploadedFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The snippets of docs/guide/web.md (compiled; the framework's own tests cover their behaviour). */
final class WebSnippets {
    private WebSnippets() {
    }

    /** Answers {@code home}; the guide's other handlers extend it. */
    static class HomeHandler extends RequestHandler {
        @Override
        protected void get() {
            write("home");
        }
    }

    static final class TodoHandler extends HomeHandler {
        @Override
        protected void get() {
            // tag::typed-arguments[]
            long id = pathArgument("id", long.class);             // /todos/abc → 400 "Invalid path argument id: not a long"
            int limit = queryArgument("limit", int.class, 20);    // default when absent
            boolean done = argument("done", boolean.class);       // query or form body; missing → 400
            // end::typed-arguments[]
            write(Map.of("id", id, "limit", limit, "done", done));
        }
    }

    static final class TagHandler extends HomeHandler {
    }

    static final class UserHandler extends HomeHandler {
    }

    static Application routes(Application apiApplication) {
        // tag::routes[]
        Application app = Application.builder()
                .route("/", HomeHandler::new)
                .route("/todos/{id}", TodoHandler::new)                  // a path template
                .route("/todos/{id:\\d+}/tags/{tag}", TagHandler::new)   // a variable with its own regex
                .route("/user/(?<id>[0-9]+)", UserHandler::new, "user")  // a Tornado regex, named for reverseUrl
                .routeTo("/api/.*", apiApplication)                      // a nested Application
                .build();
        // end::routes[]
        return app;
    }

    // tag::upload[]
    static class UploadHandler extends RequestHandler {
        @Override
        protected void post() throws Exception {
            String note = getBodyArgument("note", "");                    // a field: UTF-8, like a form-urlencoded one
            for (UploadedFile file : files().getOrDefault("files", List.of())) {
                file.filename();      // as the client sent it (UTF-8, filename* of RFC 5987 wins): never use it as a path unchecked
                file.contentType();   // application/octet-stream if the part had none
                file.size();
                if (!file.inMemory()) {                                   // above the threshold: a temporary file
                    Path kept = Path.of("uploads", UUID.randomUUID().toString());
                    await(IOLoop.current().runInExecutor(null, () -> { file.moveTo(kept); return null; }));
                }
            }
        }
    }
    // end::upload[]

    static final Path target = Path.of("upload.bin");

    // tag::streamed[]
    @StreamRequestBody
    static class PutFileHandler extends RequestHandler {
        private FileChannel out;

        @Override
        protected void prepare() throws Exception {
            request().connection().setMaxBodySize(10L << 30);         // this request only: 10 GiB
            request().connection().setBodyTimeout(Duration.ofMinutes(30));
            out = await(IOLoop.current().runInExecutor(null, () -> FileChannel.open(target, CREATE, WRITE)));
        }

        @Override
        protected void dataReceived(ByteBuffer chunk) {                // each piece, in order, never two at once
            await(IOLoop.current().runInExecutor(null, () -> out.write(chunk)));   // the client waits meanwhile
        }

        @Override
        protected void put() throws Exception {                        // after the last piece
            out.close();
            write("stored");
        }

        @Override
        protected void onConnectionClose() {                           // the client left mid-upload
            // clean up the partial file
        }
    }
    // end::streamed[]
}
