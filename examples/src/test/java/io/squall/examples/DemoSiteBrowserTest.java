package io.squall.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo site in headless Chromium, as a person would use it: sign in, see {@code /me}, upload a file and
 * read its reported size, sign out; and a sign-in form posted without its XSRF token. Screenshots of each
 * page are kept under {@code target/browser/} for a person to look at.
 */
class DemoSiteBrowserTest {
    /** Serves the demo on a loop thread of its own while {@code client} runs (blocking) on this thread. */
    static String withDemo(Function<String, String> client) {
        try (IOLoop loop = new IOLoop(); Application app = DemoApp.build()) {
            return loop.runSync(() -> {
                String base = "http://127.0.0.1:" + app.listen(0, "127.0.0.1");
                return io.squall.gen.Coroutines.await(loop.runInExecutor(null, () -> client.apply(base)));
            }, Duration.ofSeconds(150));
        }
    }

    @Test
    void signInSeeMeUploadAFileAndSignOut(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("notes.bin");
        byte[] bytes = new byte[123_457];
        new Random(1).nextBytes(bytes);
        Files.write(file, bytes);
        String output = withDemo(base -> HeadlessChromium.run("site.cjs", base, "site-journey", "journey",
                file.toString(), Integer.toString(bytes.length)));
        assertTrue(output.contains("PASSED journey"), output);
    }

    @Test
    void aSignInFormWithoutItsTokenGets403() {
        String output = withDemo(base -> HeadlessChromium.run("site.cjs", base, "site-no-token", "no-token"));
        assertTrue(output.contains("PASSED no-token"), output);
    }

}
