package io.squall.httpclient;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.http.HttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A response from {@link AsyncHttpClient#fetch}: status, headers in arrival order, the body (empty when a
 * streaming callback took it), the URL it finally came from, and timing (Tornado's {@code HTTPResponse}).
 * Immutable.
 */
public final class HttpResponse {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] EMPTY = new byte[0];

    private final HttpRequest request;
    private final String version;
    private final int code;
    private final String reason;
    private final HttpHeaders headers;
    private final byte[] body;
    private final URI effectiveUri;
    private final Instant startTime;
    private final FetchTiming timing;

    HttpResponse(HttpRequest request, String version, int code, String reason, HttpHeaders headers, byte[] body,
                 URI effectiveUri, Instant startTime, FetchTiming timing) {
        this.request = Objects.requireNonNull(request, "request");
        this.version = version;
        this.code = code;
        this.reason = reason;
        this.headers = headers;
        this.body = body == null ? EMPTY : body;
        this.effectiveUri = effectiveUri;
        this.startTime = startTime;
        this.timing = timing;
    }

    /** The request passed to {@code fetch} (not the last redirect hop's): it can be fetched again. */
    public HttpRequest request() {
        return request;
    }

    /** The response's HTTP version, {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return version;
    }

    /** The status code. */
    public int code() {
        return code;
    }

    /** The reason phrase the server sent (may be empty). */
    public String reason() {
        return reason;
    }

    /** Whether the code is 2xx. */
    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    /**
     * A copy of the headers in arrival order (values as ISO-8859-1 characters, obs-fold replaced by a
     * space). After decompression {@code Content-Encoding} and {@code Content-Length} are gone and
     * {@code X-Consumed-Content-Encoding} says what was undone.
     */
    public HttpHeaders headers() {
        return headers.copy();
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body (decompressed if the request asked for it); empty without one. Do not change the array. */
    public byte[] body() {
        return body;
    }

    /** The body as text, in the charset of the {@code Content-Type} header, UTF-8 if it names none. */
    public String text() {
        return new String(body, charset());
    }

    /**
     * The body parsed as JSON into {@code type} with Jackson.
     *
     * @throws UncheckedIOException if the body is not valid JSON for {@code type}
     */
    public <T> T json(Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("response body of " + request + " is not JSON for " + type.getName(), e);
        }
    }

    /** The body parsed as JSON into a generic type, such as {@code new TypeReference<List<Item>>() {}}. */
    public <T> T json(TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("response body of " + request + " is not JSON for " + type.getType(), e);
        }
    }

    /** The body parsed as a JSON tree. */
    public JsonNode json() {
        return json(JsonNode.class);
    }

    /** The URL the response came from: the last redirect's target, or the request's URL. */
    public URI effectiveUri() {
        return effectiveUri;
    }

    /** The wall-clock time {@code fetch} was called. */
    public Instant startTime() {
        return startTime;
    }

    /** Where the time went. */
    public FetchTiming timing() {
        return timing;
    }

    private Charset charset() {
        String type = headers.get("Content-Type");
        if (type != null) {
            for (String parameter : type.split(";")) {
                String p = parameter.strip();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).replace("\"", "").strip();
                    try {
                        return Charset.forName(name.toUpperCase(Locale.ROOT));
                    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                        return StandardCharsets.UTF_8;
                    }
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** {@code HttpResponse[200 OK, 12 bytes, http://...]}. */
    @Override
    public String toString() {
        return "HttpResponse[" + code + " " + reason + ", " + body.length + " bytes, "
                + HttpRequest.withoutUserInfo(effectiveUri) + "]";
    }
}
