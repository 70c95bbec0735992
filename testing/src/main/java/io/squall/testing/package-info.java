/**
 * Squall's testing kit (Tornado's {@code tornado.testing} for JUnit 5): {@link io.squall.testing.SquallTest}
 * (a loop per test, test methods as coroutines with a time limit, Squall's ERRORs fail the test),
 * {@link io.squall.testing.TestServer} (a delegate on an unused port, {@code fetch} and {@code websocket}
 * through the JDK's clients), {@link io.squall.testing.ExpectLog} and {@link io.squall.testing.LogCapture}
 * (assertions on what is logged); {@link io.squall.testing.AsyncTestCase}, a base class with a loop per test;
 * and helpers for Squall's own suites: {@link io.squall.testing.TestCertificates} (self-signed certificates
 * made with the JDK's keytool), {@link io.squall.testing.ExternalTools} (independent clients and tools,
 * installed when missing), {@link io.squall.testing.RawHttpClient} (a GET on a plain socket that checksums a
 * body of any size) and {@link io.squall.testing.TestBytes}.
 */
package io.squall.testing;
