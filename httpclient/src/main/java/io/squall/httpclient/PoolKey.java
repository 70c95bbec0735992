package io.squall.httpclient;

import javax.net.ssl.SSLContext;

/**
 * What a pooled connection is good for: requests to the same origin over the same route with the same
 * TLS settings may share it.
 */
record PoolKey(String scheme, String host, int port, ProxySettings proxy, SSLContext sslContext,
               boolean validateCertificates, boolean allowIpv6) {
    boolean tls() {
        return scheme.equals("https");
    }

    /** {@code host:port} of the origin, brackets around an IPv6 literal. */
    String authority() {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
