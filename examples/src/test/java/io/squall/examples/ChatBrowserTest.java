package io.squall.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The chat demo in headless Chromium: two visitors (two browser contexts) see each other's messages, as
 * text, and one closing its page is seen leaving by the other. Screenshots under {@code target/browser/chat}.
 */
class ChatBrowserTest {
    @Test
    void twoVisitorsChatAndOneLeaves() {
        String output = DemoSiteBrowserTest.withDemo(base -> HeadlessChromium.run("chat.cjs", base, "chat"));
        assertTrue(output.contains("PASSED chat"), output);
    }
}
