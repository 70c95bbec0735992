package io.squall.examples;

import static io.squall.gen.Coroutines.await;

import io.squall.ioloop.IOLoop;
import io.squall.web.Escape;
import io.squall.web.RequestHandler;
import io.squall.web.multipart.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo's uploads and static assets: {@code /upload} shows a form (its style sheet linked through a
 * versioned {@code staticUrl}) and answers a submission with each file's name, size and SHA-256; the
 * assets under {@code /static/} come from the {@code static} resources next to this class.
 */
final class UploadDemo {
    /** The assets the demo serves, copied out of the jar when the classes are not plain files. */
    private static final List<String> ASSETS = List.of("demo.css");

    private UploadDemo() {}

    /** The directory of the demo's static assets. */
    static Path staticDirectory() {
        URL url = UploadDemo.class.getResource("static/" + ASSETS.getFirst());
        try {
            if (url != null && url.getProtocol().equals("file")) {
                return Path.of(url.toURI()).getParent();
            }
            Path directory = Files.createTempDirectory("squall-demo-static");
            for (String asset : ASSETS) {
                try (InputStream in = UploadDemo.class.getResourceAsStream("static/" + asset)) {
                    Files.copy(in, directory.resolve(asset));
                }
                directory.resolve(asset).toFile().deleteOnExit();
            }
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET: the form; POST: the files received (multipart/form-data), one table row each. */
    static final class UploadHandler extends RequestHandler {
        /** Open to tools (curl -F, scripts) as well as the site's pages: no XSRF token asked. */
        @Override
        protected void checkXsrfCookie() {}

        @Override
        protected void get() {
            page("""
                    <form method="post" enctype="multipart/form-data">
                      <label>Note <input name="note"></label>
                      <input type="file" name="files" multiple>
                      <button>Upload</button>
                    </form>""");
        }

        @Override
        protected void post() {
            StringBuilder rows = new StringBuilder();
            for (List<UploadedFile> field : files().values()) {
                for (UploadedFile file : field) {
                    String sha256 = await(IOLoop.current().runInExecutor(null, () -> sha256(file)));
                    rows.append("<tr><td>").append(Escape.xhtmlEscape(file.filename())).append("</td><td>")
                            .append(file.size()).append("</td><td class=\"sha\">").append(sha256).append("</td></tr>\n");
                }
            }
            String note = getBodyArgument("note", "");
            page("<p>Note: " + Escape.xhtmlEscape(note) + "</p>\n<table>\n<tr><th>file</th><th>bytes</th><th>SHA-256</th></tr>\n"
                    + rows + "</table>\n<p><a href=\"/upload\">Upload more</a></p>");
        }

        private void page(String body) {
            write("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Squall upload</title>\n"
                    + "<link rel=\"stylesheet\" href=\"" + Escape.xhtmlEscape(staticUrl("demo.css")) + "\"></head>\n"
                    + "<body><h1>Squall upload</h1>\n" + body + "\n</body></html>\n");
        }

        /** The hex SHA-256 of an upload, read from memory or its temporary file (blocking: on the executor). */
        private static String sha256(UploadedFile file) throws IOException {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            try (InputStream in = file.openStream()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
