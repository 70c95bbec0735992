package io.squall.httpclient;

import java.util.Base64;
import java.util.Objects;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP proxy: {@code http://} requests go to it in absolute form, {@code https://} requests through a
 * {@code CONNECT} tunnel (the TLS session is then end to end with the server). With a username, every
 * request to the proxy carries {@code Proxy-Authorization: Basic ...}.
 *
 * @param host the proxy's host name or IP literal
 * @param port its port
 * @param username the user for the proxy, or null for none
 * @param password the password (null is read as empty)
 */
public record ProxySettings(String host, int port, String username, String password) {
    /** Checks the host and port. */
    public ProxySettings {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty proxy host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port out of range: " + port);
        }
        if (username == null && password != null) {
            throw new IllegalArgumentException("a proxy password without a username");
        }
    }

    /** A proxy without authentication. */
    public static ProxySettings of(String host, int port) {
        return new ProxySettings(host, port, null, null);
    }

    /** This proxy with Basic credentials. */
    public ProxySettings withCredentials(String username, String password) {
        return new ProxySettings(host, port, Objects.requireNonNull(username, "username"), password);
    }

    /** The {@code Proxy-Authorization} value, or null without credentials. */
    String authorization() {
        return username == null ? null : basic(username, password);
    }

    /** {@code host:port}, brackets around an IPv6 literal. */
    String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    static String basic(String username, String password) {
        String pair = username + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Hides the password. */
    @Override
    public String toString() {
        return "ProxySettings[" + address() + (username == null ? "" : ", user " + username) + "]";
    }
}
