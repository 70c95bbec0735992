/**
 * Test support shared by the test suites: {@link io.squall.testing.AsyncTestCase} (a loop per test),
 * {@link io.squall.testing.LogCapture} (assertions on what is logged) and
 * {@link io.squall.testing.TestCertificates} (self-signed certificates made with the JDK's keytool) and
 * {@link io.squall.testing.ExternalTools} (independent clients and tools, installed when missing).
 */
package io.squall.testing;
