package io.squall.examples;

import io.squall.httpserver.HttpServerOptions;
import io.squall.ioloop.IOLoop;
import io.squall.tls.TlsConfigException;
import io.squall.web.Application;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link DemoApp} on one loop until the JVM is asked to stop (Ctrl-C, SIGTERM), then shuts down
 * gracefully: requests in flight finish (for up to {@link #DRAIN}), idle connections close, and the
 * loop stops. Each request is logged in one line by the application's access log.
 */
public final class DemoServer {
    /** The demo listens on loopback unless told otherwise: nothing on the network reaches it by accident. */
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8888;
    /** How long a stopping demo lets requests in flight finish before it closes their connections. */
    static final Duration DRAIN = Duration.ofSeconds(10);

    /**
     * Where and how the demo listens: {@code host} (an address or a name), {@code port} (0: any free port),
     * and whether over TLS (a self-signed certificate made at start-up).
     */
    record Address(String host, int port, boolean tls) {}

    private DemoServer() {}

    /**
     * Serves at {@code address} until the JVM is asked to stop; returns the exit code: 0 after a clean
     * stop, {@link Main#USAGE_ERROR} if it cannot listen there (one line on {@code err}).
     */
    static int run(Address address, PrintStream out, PrintStream err) {
        IOLoop loop = new IOLoop();
        Application app = DemoApp.build();
        HttpServerOptions options = app.serverOptions();
        if (address.tls()) {
            // The JDK lets TLS 1.2 clients renegotiate (a denial-of-service risk); refuse before any handshake.
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
            SelfSignedCertificate certificate = selfSigned();
            options = HttpServerOptions.builder().tls(certificate.context()).build();
            out.println("Self-signed certificate for localhost, SHA-256 fingerprint " + certificate.sha256Fingerprint());
        }
        loop.makeCurrent();
        int bound;
        try {
            bound = app.listen(address.port(), address.host(), options);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("squall demo: cannot listen on " + hostPort(address.host(), address.port()) + ": " + cause.getMessage());
            app.close();
            loop.close(true);
            return Main.USAGE_ERROR;
        }
        // Ctrl-C / SIGTERM: no new connection, idle ones closed, requests in flight finished (for up to
        // DRAIN), then the loop stops and run() returns. (An application that need not report it says
        // app.shutdownOnSignal(DRAIN) instead.) The hook holds the JVM's exit until run() is done.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            app.shutdown(DRAIN).addDoneCallback(f -> loop.addCallback(loop::stop));
            out.println("Squall demo draining: finishing requests in flight (up to " + DRAIN.toSeconds() + " s)");
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try (app) {
            out.println("Squall demo on " + (address.tls() ? "https" : "http") + "://" + hostPort(address.host(), bound)
                    + "/  (try /, /sleep, /echo; Ctrl-C drains requests in flight and stops it)");
            loop.start();
        } finally {
            loop.close();
            out.println("Squall demo stopped");
            stopped.countDown();
        }
        return 0;
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static SelfSignedCertificate selfSigned() {
        try {
            return SelfSignedCertificate.forLocalhost();
        } catch (IOException | GeneralSecurityException | TlsConfigException e) {
            throw new IllegalStateException("cannot make the demo's TLS certificate: " + e.getMessage(), e);
        }
    }
}
