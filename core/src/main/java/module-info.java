/**
 * Squall's core: the event loop, coroutines, coordination primitives, streams, TCP, and the HTTP/1.1
 * server, on the JDK and the SLF4J API alone.
 *
 * <p>Coroutines run on the loop thread itself (the fast mode, {@code Coroutines.mode() == LOOP_CARRIER})
 * only when {@code java.lang} is opened to this module: start the JVM with
 * {@code --add-opens java.base/java.lang=io.squall.core} on the module path
 * ({@code =ALL-UNNAMED} on the class path). Without it, Squall logs one warning naming that flag and runs
 * coroutines in the slower hand-off mode.
 */
module io.squall.core {
    requires transitive org.slf4j;
    // NetUtil.defaultMaxConnections reads the file-descriptor limit from the JDK's Unix OS bean.
    requires jdk.management;

    exports io.squall.concurrent;
    exports io.squall.ioloop;
    exports io.squall.gen;
    exports io.squall.locks;
    exports io.squall.queues;
    exports io.squall.iostream;
    exports io.squall.tls;
    exports io.squall.net;
    exports io.squall.http;
    exports io.squall.httpserver;

    // The HTTP/1.1 wire format is shared with the client, not with applications.
    exports io.squall.http1 to io.squall.httpclient;
}
