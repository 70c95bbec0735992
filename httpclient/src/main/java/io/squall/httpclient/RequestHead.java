package io.squall.httpclient;

import io.squall.http.HttpHeaders;
import io.squall.http.HttpUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Writes the head of a request as it goes on the wire: the request line (origin form, or absolute form
 * through an HTTP proxy), {@code Host}, the caller's headers, then what the client adds when the caller did
 * not set it (User-Agent, Accept-Encoding, Authorization, Content-Type, If-Modified-Since, framing).
 * Header values were validated when the request was built, so nothing here can break the framing.
 */
final class RequestHead {
    private RequestHead() {}

    /** How the body is framed on the wire. */
    enum BodyMode { NONE, LENGTH, CHUNKED }

    /** The framing the request's body gets. */
    static BodyMode bodyMode(HttpRequest request) {
        if (request.body() != null) {
            return BodyMode.LENGTH;
        }
        if (request.bodyProducer() != null) {
            return request.headersView().contains("Content-Length") ? BodyMode.LENGTH : BodyMode.CHUNKED;
        }
        return BodyMode.NONE;
    }

    /**
     * The head's bytes.
     *
     * @param absoluteForm whether the target is the whole URL (plain http through a proxy)
     * @param proxyAuthorization the {@code Proxy-Authorization} value, or null
     * @param keepAlive false to send {@code Connection: close}
     */
    static byte[] encode(HttpRequest request, String defaultUserAgent, boolean absoluteForm, String proxyAuthorization,
                         boolean keepAlive) {
        URI uri = request.uri();
        HttpHeaders headers = request.headersView();
        StringBuilder out = new StringBuilder(256);
        out.append(request.method()).append(' ');
        if (absoluteForm) {
            out.append(uri.getScheme()).append("://").append(hostHeader(uri));
        }
        String path = uri.getRawPath();
        out.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            out.append('?').append(uri.getRawQuery());
        }
        out.append(" HTTP/1.1\r\n");
        if (!headers.contains("Host")) {
            field(out, "Host", hostHeader(uri));
        }
        BodyMode mode = bodyMode(request);
        headers.forEach((name, value) -> {
            // The client frames the body itself; only a producer's declared Content-Length is the caller's.
            if (!isFraming(name) || mode == BodyMode.LENGTH && request.body() == null
                    && name.equalsIgnoreCase("Content-Length")) {
                field(out, name, value);
            }
        });
        if (!headers.contains("User-Agent")) {
            field(out, "User-Agent", request.userAgent() != null ? request.userAgent() : defaultUserAgent);
        }
        if (request.decompressResponse() && !headers.contains("Accept-Encoding")) {
            field(out, "Accept-Encoding", "gzip");
        }
        if (!headers.contains("Authorization")) {
            String authorization = authorization(request);
            if (authorization != null) {
                field(out, "Authorization", authorization);
            }
        }
        if (request.ifModifiedSince() != null && !headers.contains("If-Modified-Since")) {
            field(out, "If-Modified-Since", HttpUtil.formatDate(request.ifModifiedSince()));
        }
        if (request.hasBody() && request.method().equals("POST") && !headers.contains("Content-Type")) {
            field(out, "Content-Type", "application/x-www-form-urlencoded");
        }
        if (mode == BodyMode.LENGTH && request.body() != null) {
            field(out, "Content-Length", Integer.toString(request.body().length));
        } else if (mode == BodyMode.CHUNKED) {
            field(out, "Transfer-Encoding", "chunked");
        }
        if (request.expect100Continue() && request.hasBody() && !headers.contains("Expect")) {
            field(out, "Expect", "100-continue");
        }
        if (!keepAlive && !headers.containsToken("Connection", "close")) {
            field(out, "Connection", "close");
        }
        if (proxyAuthorization != null) {
            field(out, "Proxy-Authorization", proxyAuthorization);
        }
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The head of a {@code CONNECT} asking a proxy for a tunnel to {@code authority}. */
    static byte[] connect(String authority, String userAgent, String proxyAuthorization) {
        StringBuilder out = new StringBuilder(128);
        out.append("CONNECT ").append(authority).append(" HTTP/1.1\r\n");
        field(out, "Host", authority);
        field(out, "User-Agent", userAgent);
        if (proxyAuthorization != null) {
            field(out, "Proxy-Authorization", proxyAuthorization);
        }
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The Host value: the URL's host and, if the URL has one, its port (credentials left out). */
    static String hostHeader(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** {@code Basic ...} from the request's credentials or its URL's, or null. */
    static String authorization(HttpRequest request) {
        if (request.username() != null) {
            return ProxySettings.basic(request.username(), request.password());
        }
        String userInfo = request.uri().getRawUserInfo();
        if (userInfo == null) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String password = colon < 0 ? "" : userInfo.substring(colon + 1);
        return ProxySettings.basic(HttpUtil.urlDecode(user, false), HttpUtil.urlDecode(password, false));
    }

    /** Framing headers the client computes itself from the body it sends. */
    private static boolean isFraming(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding");
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(name).append(": ").append(value).append("\r\n");
    }
}
