package io.squall.web;

import static io.squall.gen.Coroutines.await;

import io.squall.http.HttpUtil;
import io.squall.ioloop.IOLoop;
import io.squall.iostream.StreamClosedError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the files under a directory (Tornado's {@code StaticFileHandler}); route it with one group, the
 * path under the root, or let {@link Application.Builder#staticPath} do it.
 *
 * <pre>{@code
 * Application.builder().route("/files/(.*)", () -> new StaticFileHandler(Path.of("public"), "index.html"))
 * }</pre>
 *
 * <ul>
 *   <li>GET and HEAD; {@code Etag} (a content hash, cached while the file's size and time stay the same),
 *       {@code Last-Modified}, {@code Accept-Ranges: bytes}, and a content type from the file name.</li>
 *   <li>304 to a matching {@code If-None-Match}, or, without one, to an {@code If-Modified-Since} no older
 *       than the file (an invalid date is ignored).</li>
 *   <li>One {@code Range} ({@code bytes=a-b}, {@code a-}, {@code -n}) → 206 with {@code Content-Range}; an
 *       unsatisfiable one → 416 with {@code Content-Range: bytes *}{@code /size}; several ranges, another unit,
 *       a malformed header, or an {@code If-Range} that does not match → the whole file (RFC 9110 §14).</li>
 *   <li>A URL with a {@code v} query argument (see {@link RequestHandler#staticUrl}) is cached for a year,
 *       {@code immutable}.</li>
 *   <li>{@code ..}, an absolute path, percent-encoded traversal, or a symbolic link leading out of the root →
 *       403; a missing file → 404; a directory → its default file (redirecting to add the slash), else 403.</li>
 *   <li>The body goes from the file to the socket without passing through the heap on plain TCP
 *       ({@link io.squall.http.HttpConnection#writeFile}, sendfile), in 16 KiB pieces on TLS; the client's pace
 *       throttles it. Looking the file up, hashing and opening it run on the loop's executor; the copy
 *       itself reads the page cache on the loop (a cold file costs the loop a disk read per piece).</li>
 * </ul>
 */
public class StaticFileHandler extends RequestHandler {
    /** How long a versioned URL ({@code ?v=}) may be cached: a year. */
    public static final Duration VERSIONED_MAX_AGE = Duration.ofDays(365);
    private static final Pattern BYTE_RANGE = Pattern.compile("(\\d{0,18})-(\\d{0,18})");

    private final Path root;
    private final String defaultFilename;

    /** Serves the files under {@code root}; a directory is 403. */
    public StaticFileHandler(Path root) {
        this(root, null);
    }

    /** Serves the files under {@code root}; a directory is served by its {@code defaultFilename} (null: 403). */
    public StaticFileHandler(Path root, String defaultFilename) {
        this.root = Objects.requireNonNull(root, "root");
        this.defaultFilename = defaultFilename;
    }

    @Override
    protected void get() throws IOException {
        serve(true);
    }

    @Override
    protected void head() throws IOException {
        serve(false);
    }

    private void serve(boolean includeBody) throws IOException {
        String relative = pathArgs().isEmpty() || pathArgs().getFirst() == null ? "" : pathArgs().getFirst();
        StaticFiles.Lookup lookup = await(IOLoop.current().runInExecutor(null,
                () -> StaticFiles.lookup(root, relative, defaultFilename, includeBody)));
        StaticFiles.Found file = switch (lookup) {
            case StaticFiles.NotFound n -> throw new HttpError(404);
            case StaticFiles.Forbidden f -> throw new HttpError(403, request().path() + ": " + f.why());
            case StaticFiles.NeedsSlash s -> {
                redirect(request().path() + "/" + (request().query().isEmpty() ? "" : "?" + request().query()), true);
                yield null;
            }
            case StaticFiles.Found f -> f;
        };
        if (file == null) {
            return;
        }
        try (FileChannel channel = file.channel()) {
            respond(file, channel);
        }
    }

    private void respond(StaticFiles.Found file, FileChannel channel) {
        setHeader("Etag", "\"" + file.hash() + "\"");
        setHeader("Last-Modified", HttpUtil.formatDate(file.lastModified()));
        setHeader("Accept-Ranges", "bytes");
        setHeader("Content-Type", StaticFiles.contentType(file.path().getFileName().toString()));
        if (getQueryArgument("v", null) != null) {
            setHeader("Cache-Control", "max-age=" + VERSIONED_MAX_AGE.toSeconds() + ", immutable");
        }
        if (notModified(file)) {
            setStatus(304);
            finish();
            return;
        }
        long size = file.size();
        long start = 0;
        long end = size;
        String range = request().headers().get("Range");
        if (range != null && ifRangeMatches(file)) {
            long[] bounds = byteRange(range, size);
            if (bounds == UNSATISFIABLE) {
                setStatus(416);
                setHeader("Content-Range", "bytes */" + size);
                clearHeader("Content-Type");
                finish();
                return;
            }
            if (bounds != null) {
                start = bounds[0];
                end = bounds[1];
                setStatus(206);
                setHeader("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + size);
            }
        }
        setHeader("Content-Length", Long.toString(end - start));
        if (channel == null || end == start) { // HEAD, or nothing to send
            finish();
            return;
        }
        try {
            flush();
            await(request().connection().writeFile(channel, start, end - start));
        } catch (StreamClosedError e) {
            endAfterClientLeft();
            return;
        }
        finish();
    }

    /** The client left while the file was being sent: the request ends without an error page. */
    private void endAfterClientLeft() {
        try {
            finish();
        } catch (RuntimeException ignored) {
            // finish() reports the body cut short; the connection is gone anyway
        }
    }

    /** RFC 9110 §13.2.2: If-None-Match decides if present, else If-Modified-Since (GET and HEAD only). */
    private boolean notModified(StaticFiles.Found file) {
        if (request().headers().get("If-None-Match") != null) {
            return checkEtagHeader();
        }
        Instant since = parseHttpDate(request().headers().get("If-Modified-Since"));
        return since != null && !file.lastModified().isAfter(since);
    }

    /** RFC 9110 §13.1.5: a Range applies only if If-Range is absent or names this very file (strong match). */
    private boolean ifRangeMatches(StaticFiles.Found file) {
        String ifRange = request().headers().get("If-Range");
        if (ifRange == null) {
            return true;
        }
        ifRange = ifRange.strip();
        if (ifRange.startsWith("\"")) {
            return ifRange.equals("\"" + file.hash() + "\"");
        }
        Instant date = parseHttpDate(ifRange);
        return date != null && date.equals(file.lastModified());
    }

    private static Instant parseHttpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null; // an invalid date is ignored (RFC 9110 §13.1.3)
        }
    }

    private static final long[] UNSATISFIABLE = {};

    /**
     * {@code [start, end)} of a single byte range over a file of {@code size} bytes; null to ignore the header
     * (another unit, several ranges, bad syntax); {@link #UNSATISFIABLE} for a range that selects nothing.
     */
    static long[] byteRange(String header, long size) {
        int eq = header.indexOf('=');
        if (eq < 0 || !header.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
            return null;
        }
        Matcher m = BYTE_RANGE.matcher(header.substring(eq + 1).strip());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return null;
        }
        if (m.group(1).isEmpty()) { // the last n bytes
            long n = Long.parseLong(m.group(2));
            return n == 0 || size == 0 ? UNSATISFIABLE : new long[] {Math.max(0, size - n), size};
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
        if (first >= size || last < first) {
            return UNSATISFIABLE;
        }
        return new long[] {first, Math.min(last, size - 1) + 1};
    }
}
