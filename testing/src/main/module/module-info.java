/**
 * Squall's testing kit for JUnit 5, like Tornado's {@code tornado.testing}: {@code @SquallTest} (a fresh
 * loop per test, test methods run as coroutines with a timeout, Squall's ERROR logs fail the test),
 * {@code TestServer} (a delegate served on an unused 127.0.0.1 port, with {@code fetch} and
 * {@code websocket} through the JDK's clients), {@code ExpectLog} and {@code LogCapture}.
 */
module io.squall.testing {
    requires transitive io.squall.core;
    requires transitive java.net.http;
    requires transitive org.junit.jupiter.api;
    requires transitive ch.qos.logback.classic;
    requires ch.qos.logback.core;

    exports io.squall.testing;
}
