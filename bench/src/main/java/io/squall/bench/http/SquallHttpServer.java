package io.squall.bench.http;

import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.HttpServer;
import io.squall.http.RequestStartLine;
import io.squall.http.ResponseStartLine;
import io.squall.ioloop.IOLoop;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Squall's side of the HTTP load comparison: an {@link HttpServer} on one loop answering
 * {@code Hello, world}, and after a one-second loop timer on {@code /sleep}.
 */
public final class SquallHttpServer {
    private static final byte[] HELLO = "Hello, world".getBytes(StandardCharsets.US_ASCII);
    private static final ResponseStartLine OK = new ResponseStartLine("HTTP/1.1", 200, "OK");

    private SquallHttpServer() {}

    /** Serves on port {@code args[0]} until killed. */
    public static void main(String[] args) {
        IOLoop loop = new IOLoop();
        loop.makeCurrent();
        new HttpServer(connection -> new Hello(connection, loop)).listen(Integer.parseInt(args[0]), "127.0.0.1");
        loop.start();
    }

    private static final class Hello implements HttpMessageDelegate {
        private final HttpConnection connection;
        private final IOLoop loop;
        private boolean sleep;

        Hello(HttpConnection connection, IOLoop loop) {
            this.connection = connection;
            this.loop = loop;
        }

        @Override
        public io.squall.concurrent.Future<?> headersReceived(RequestStartLine startLine, HttpHeaders headers) {
            sleep = startLine.target().startsWith("/sleep");
            return null;
        }

        @Override
        public void finish() {
            if (sleep) {
                loop.callLater(Duration.ofSeconds(1), this::respond);
            } else {
                respond();
            }
        }

        private void respond() {
            HttpHeaders headers = new HttpHeaders();
            headers.add("Content-Type", "text/plain");
            headers.add("Content-Length", Integer.toString(HELLO.length));
            connection.writeHeaders(OK, headers, ByteBuffer.wrap(HELLO));
            connection.finish();
        }
    }
}
