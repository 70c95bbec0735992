/** Test support shared by the test suites: {@link io.squall.testing.TestCertificates}. */
package io.squall.testing;
