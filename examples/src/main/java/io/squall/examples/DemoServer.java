package io.squall.examples;

import io.squall.httpserver.HttpServerOptions;
import io.squall.ioloop.IOLoop;
import io.squall.tls.TlsConfigException;
import io.squall.web.Application;
import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link DemoApp} on one loop until the JVM is asked to stop (Ctrl-C), then stops the loop and
 * closes the server cleanly. Each request is logged in one line by the application's access log.
 */
public final class DemoServer {
    private DemoServer() {}

    /** Serves on {@code port} (on every interface) until interrupted. */
    public static void run(int port, PrintStream out) {
        run(port, false, out);
    }

    /**
     * Serves on {@code port} (on every interface) until interrupted; with {@code tls}, over HTTPS with a
     * self-signed certificate made now, whose SHA-256 fingerprint is printed.
     */
    public static void run(int port, boolean tls, PrintStream out) {
        IOLoop loop = new IOLoop();
        Application app = DemoApp.build();
        HttpServerOptions options = app.serverOptions();
        if (tls) {
            // The JDK lets TLS 1.2 clients renegotiate (a denial-of-service risk); refuse before any handshake.
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
            SelfSignedCertificate certificate = selfSigned();
            options = HttpServerOptions.builder().tls(certificate.context()).build();
            out.println("Self-signed certificate for localhost, SHA-256 fingerprint " + certificate.sha256Fingerprint());
        }
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
            int bound = app.listen(port, null, options);
            out.println("Squall demo on " + (tls ? "https" : "http") + "://127.0.0.1:" + bound
                    + "/  (try /, /sleep, /echo; Ctrl-C stops it)");
            loop.start();
        } finally {
            loop.close();
            out.println("Squall demo stopped");
            stopped.countDown();
        }
    }

    private static SelfSignedCertificate selfSigned() {
        try {
            return SelfSignedCertificate.forLocalhost();
        } catch (IOException | GeneralSecurityException | TlsConfigException e) {
            throw new IllegalStateException("cannot make the demo's TLS certificate: " + e.getMessage(), e);
        }
    }
}
