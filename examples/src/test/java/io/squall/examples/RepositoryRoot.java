package io.squall.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the repository: the nearest directory above the working directory that holds {@code mvnw}. */
public final class RepositoryRoot {
    private RepositoryRoot() {
    }

    /** The repository root, found by walking up from {@code user.dir}. */
    public static Path find() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new AssertionError("no mvnw above " + System.getProperty("user.dir"));
    }
}
