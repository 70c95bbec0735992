/**
 * TLS configuration from PEM files with the JDK alone: {@link io.squall.tls.TlsConfig} reads a
 * certificate chain, a private key (PKCS#8, encrypted or not; traditional RSA and EC keys) and trust
 * anchors, and builds an {@link javax.net.ssl.SSLContext} that carries the protocol versions and the
 * {@link io.squall.tls.ClientAuth client authentication} to every engine it makes. Problems are
 * {@link io.squall.tls.TlsConfigException}s naming the file.
 */
package io.squall.tls;
