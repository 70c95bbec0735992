package io.squall.web.multipart;

import java.nio.file.Path;

/**
 * Limits of a {@code multipart/form-data} body, all bounded by default (Tornado 6.5.5's
 * {@code ParseMultipartConfig} plus the memory limits Squall adds). The body as a whole is bounded by the
 * server's {@code maxBodySize}. Build with {@link #builder()}.
 *
 * @param maxParts the most parts a body may have (100); more → 413
 * @param maxPartHeaderSize the most bytes of header lines one part may have (10 KiB); more → 400
 * @param maxFieldSize the largest value of a field without a file name, held in memory (1 MiB); larger → 413
 * @param fileThreshold a file part larger than this (64 KiB) goes to a temporary file instead of memory
 * @param tempDirectory where temporary files go; null for the JDK's default ({@code java.io.tmpdir})
 */
public record MultipartOptions(int maxParts, int maxPartHeaderSize, int maxFieldSize, int fileThreshold,
                               Path tempDirectory) {
    /** The defaults: 100 parts, 10 KiB of headers per part, 1 MiB fields, files above 64 KiB on disk. */
    public static final MultipartOptions DEFAULTS = builder().build();

    /** Validates the options. */
    public MultipartOptions {
        if (maxParts <= 0 || maxPartHeaderSize <= 0 || maxFieldSize < 0 || fileThreshold < 0) {
            throw new IllegalArgumentException("multipart limits must be positive");
        }
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link MultipartOptions}. */
    public static final class Builder {
        private int maxParts = 100;
        private int maxPartHeaderSize = 10 * 1024;
        private int maxFieldSize = 1024 * 1024;
        private int fileThreshold = 64 * 1024;
        private Path tempDirectory;

        private Builder() {}

        /** See {@link MultipartOptions#maxParts()}. */
        public Builder maxParts(int parts) { maxParts = parts; return this; }

        /** See {@link MultipartOptions#maxPartHeaderSize()}. */
        public Builder maxPartHeaderSize(int bytes) { maxPartHeaderSize = bytes; return this; }

        /** See {@link MultipartOptions#maxFieldSize()}. */
        public Builder maxFieldSize(int bytes) { maxFieldSize = bytes; return this; }

        /** See {@link MultipartOptions#fileThreshold()}. */
        public Builder fileThreshold(int bytes) { fileThreshold = bytes; return this; }

        /** See {@link MultipartOptions#tempDirectory()}. */
        public Builder tempDirectory(Path directory) { tempDirectory = directory; return this; }

        /** Builds the options. */
        public MultipartOptions build() {
            return new MultipartOptions(maxParts, maxPartHeaderSize, maxFieldSize, fileThreshold, tempDirectory);
        }
    }
}
