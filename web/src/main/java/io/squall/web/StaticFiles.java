package io.squall.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file-system side of {@link StaticFileHandler} and {@link Application#staticUrl}: finding a file
 * under a root without leaving it, its content hash (cached while its size and modification time stay the
 * same), and its content type. Everything here blocks on the disk: run it on an executor.
 */
final class StaticFiles {
    /** At most this many content hashes are cached; past it the cache starts over. */
    private static final int MAX_CACHED_HASHES = 10_000;
    private static final Map<Path, Version> HASHES = new ConcurrentHashMap<>();
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=UTF-8"), Map.entry("htm", "text/html; charset=UTF-8"),
            Map.entry("css", "text/css; charset=UTF-8"), Map.entry("js", "text/javascript; charset=UTF-8"),
            Map.entry("mjs", "text/javascript; charset=UTF-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=UTF-8"), Map.entry("csv", "text/csv; charset=UTF-8"),
            Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"), Map.entry("wasm", "application/wasm"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"), Map.entry("tgz", "application/gzip"),
            Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"), Map.entry("wav", "audio/wav"), Map.entry("map", "application/json"));

    private StaticFiles() {}

    /** A content hash and what it was computed for. */
    private record Version(long size, FileTime modified, String hash) {}

    /** What a lookup found. */
    sealed interface Lookup {}

    /** No such file (or a name the file system cannot hold): 404. */
    record NotFound() implements Lookup {}

    /** Outside the root (by {@code ..}, an absolute path or a symbolic link), or not a regular file: 403. */
    record Forbidden(String why) implements Lookup {}

    /** A directory asked for without its trailing slash, while it has a default file: redirect. */
    record NeedsSlash() implements Lookup {}

    /**
     * A regular file under the root.
     *
     * @param channel the file opened for reading if the lookup was asked to, else null: close it
     */
    record Found(Path path, long size, Instant lastModified, String hash, FileChannel channel) implements Lookup {}

    /**
     * Finds {@code relative} (already percent-decoded) under {@code root}, following symbolic links only
     * within the root; a directory is served by its {@code defaultFilename} (null: 403).
     */
    static Lookup lookup(Path root, String relative, String defaultFilename, boolean open) throws IOException {
        Path rootReal = root.toRealPath();
        Path candidate;
        try {
            candidate = rootReal.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            return new NotFound();
        }
        if (!candidate.startsWith(rootReal)) {
            return new Forbidden("outside the static root");
        }
        if (!Files.exists(candidate)) {
            return new NotFound();
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(rootReal)) {
            return new Forbidden("a link out of the static root");
        }
        if (Files.isDirectory(real)) {
            if (defaultFilename == null) {
                return new Forbidden("a directory");
            }
            if (!relative.isEmpty() && !relative.endsWith("/")) {
                return new NeedsSlash();
            }
            return lookup(root, relative + defaultFilename, null, open);
        }
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            return new Forbidden("not a regular file");
        }
        String hash = hash(real, attributes);
        return new Found(real, attributes.size(), attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.SECONDS),
                hash, open ? FileChannel.open(real) : null);
    }

    /** The hex SHA-256 (first 32 digits) of {@code path}'s content, or null if it is not a regular file under {@code root}. */
    static String version(Path root, String relative) throws IOException {
        return lookup(root, relative, null, false) instanceof Found found ? found.hash() : null;
    }

    private static String hash(Path path, BasicFileAttributes attributes) throws IOException {
        Version cached = HASHES.get(path);
        if (cached != null && cached.size() == attributes.size() && cached.modified().equals(attributes.lastModifiedTime())) {
            return cached.hash();
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        String hash = HexFormat.of().formatHex(digest.digest(), 0, 16);
        if (HASHES.size() >= MAX_CACHED_HASHES) {
            HASHES.clear();
        }
        HASHES.put(path, new Version(attributes.size(), attributes.lastModifiedTime(), hash));
        return hash;
    }

    /** The content type for a file name, by its extension; {@code application/octet-stream} if unknown. */
    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
