package io.squall.httpserver;

import io.squall.ioloop.IOLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of {@link HttpServerRobustnessTest#survivesRunningOutOfFileDescriptors}: an echo server
 * on 127.0.0.1 without a connection limit (so that a flood reaches the process's file-descriptor limit),
 * printing its port, serving until its standard input closes.
 */
public final class FloodedServerMain {
    private FloodedServerMain() {}

    /** Serves until stdin closes. */
    public static void main(String[] args) throws IOException {
        IOLoop loop = new IOLoop();
        loop.makeCurrent();
        HttpServer server = new HttpServer(new TestApp(TestApp.echo()),
                HttpServerOptions.builder().maxConnections(Integer.MAX_VALUE).build());
        int port = server.listen(0, "127.0.0.1");
        // One request first, so that every class serving needs is loaded before the flood: loading one
        // needs a descriptor, and there will be none to spare.
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket warmUp = new Socket("127.0.0.1", port)) {
                warmUp.getOutputStream().write("GET /warm-up HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                warmUp.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("port " + port);
            System.out.flush();
        });
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for the parent to close our stdin
                }
            } catch (IOException e) {
                // the parent is gone
            }
            loop.addCallback(loop::stop);
        });
        loop.start();
        server.stop();
    }
}
