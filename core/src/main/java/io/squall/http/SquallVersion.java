package io.squall.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Squall's version, for the {@code Server} and {@code User-Agent} headers: read from the resource Maven fills
 * in at build time.
 */
public final class SquallVersion {
    /** The version, such as {@code 0.1.0}. */
    public static final String VALUE = load();

    private SquallVersion() {}

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = SquallVersion.class.getResourceAsStream("squall-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("squall-version.properties is missing from the core module's resources");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }
}
