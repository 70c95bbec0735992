package io.squall.http;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.ioloop.IOLoop;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import javax.net.ssl.SSLSession;

/**
 * The server side of one HTTP/1.1 connection, as its current request's delegate sees it: where the
 * response is written (Tornado's {@code HTTP1Connection}).
 *
 * <p>{@link #writeHeaders} decides the framing: a {@code Content-Length} header is honoured (writing
 * more or fewer bytes is an error that closes the connection); without one an HTTP/1.1 response is
 * sent chunked, and an HTTP/1.0 response is delimited by closing the connection. Responses to HEAD and
 * 1xx/204/304 responses carry no body. A {@code Date} header is added when missing. A response started
 * before the whole request body was read ends the connection (with {@code Connection: close}), since
 * the rest of that body could not be told from the next request. Use it on the connection's loop.
 */
public interface HttpConnection {
    /**
     * Starts the response. The returned future completes when the head (and {@code chunk}, if any)
     * reached the kernel: await it for flow control.
     *
     * @throws IllegalStateException if the response was already started
     */
    Future<Void> writeHeaders(ResponseStartLine startLine, HttpHeaders headers, ByteBuffer chunk);

    /** Writes a piece of the response body; the future completes when it reached the kernel. */
    Future<Void> write(ByteBuffer chunk);

    /**
     * Writes {@code count} bytes of {@code file} from {@code position} as a piece of the response body,
     * without copying them through the heap on plain TCP ({@link IOStream#writeFile}). The future completes
     * when they reached the kernel: close the file after that. Nothing is written for a bodiless response
     * (HEAD, 304...).
     */
    Future<Void> writeFile(FileChannel file, long position, long count);

    /**
     * Ends the response. The connection then reads the next request (keep-alive) or closes.
     *
     * @throws IllegalStateException if the headers were not written, or a Content-Length was not met
     */
    Future<Void> finish();

    /** Whether {@link #writeHeaders} was called for the current request. */
    boolean responseStarted();

    /**
     * Takes the connection's stream away from HTTP (for WebSocket or CONNECT): the server stops
     * reading and writing it and will not close it.
     */
    IOStream detach();

    /** Overrides the body timeout for the current request (before its body is read). */
    void setBodyTimeout(Duration timeout);

    /** Overrides the maximum body size for the current request (before its body is read). */
    void setMaxBodySize(long maxBodySize);

    /** The peer's address. */
    SocketAddress remoteAddress();

    /**
     * The client's IP for the current request: the peer's, or with {@code xheaders} the one a trusted
     * proxy reported in {@code X-Real-Ip}/{@code X-Forwarded-For}.
     */
    String remoteIp();

    /** {@code "http"} or {@code "https"} for the current request (with {@code xheaders}, as the proxy reported). */
    String protocol();

    /** Whether the connection uses TLS. */
    boolean isSecure();

    /**
     * The connection's TLS session (protocol, cipher suite, the verified peer certificates), or null on a
     * plain connection.
     */
    SSLSession tlsSession();

    /** The loop the connection lives on. */
    IOLoop loop();

    /** Closes the connection. */
    void close();
}
