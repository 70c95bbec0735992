package io.squall.examples;

import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link DemoApp} on one loop until the JVM is asked to stop (Ctrl-C), then stops the loop and
 * closes the server cleanly. Each request is logged in one line by the application's access log.
 */
public final class DemoServer {
    private DemoServer() {}

    /** Serves on {@code port} (on every interface) until interrupted. */
    public static void run(int port, PrintStream out) {
        IOLoop loop = new IOLoop();
        Application app = DemoApp.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            loop.addCallback(loop::stop);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        loop.makeCurrent();
        try (app) {
            int bound = app.listen(port);
            out.println("Squall demo on http://127.0.0.1:" + bound + "/  (try /, /sleep, /echo; Ctrl-C stops it)");
            loop.start();
        } finally {
            loop.close();
            out.println("Squall demo stopped");
            stopped.countDown();
        }
    }
}
