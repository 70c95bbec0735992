/**
 * Test support shared by the test suites: {@link io.squall.testing.AsyncTestCase} (a loop per test),
 * {@link io.squall.testing.LogCapture} (assertions on what is logged) and
 * {@link io.squall.testing.TestCertificates} (self-signed certificates made with the JDK's keytool) and
 * {@link io.squall.testing.ExternalTools} (independent clients and tools, installed when missing), and
 * {@link io.squall.testing.RawHttpClient} (a GET on a plain socket that checksums a body of any size).
 */
package io.squall.testing;
