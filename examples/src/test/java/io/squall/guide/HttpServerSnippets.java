package io.squall.guide;

import io.squall.concurrent.Future;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.ResponseStartLine;
import io.squall.httpserver.HttpServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The snippets of docs/guide/http-server.md; {@link GuideSnippetsRunTest} runs them. */
final class HttpServerSnippets {
    private HttpServerSnippets() {
    }

    // tag::delegate[]
    /** Answers every request with the number of body bytes it sent. */
    static HttpServer byteCounter() {
        return new HttpServer(connection -> new HttpMessageDelegate() {   // one delegate per request
            private long received;

            @Override
            public Future<?> dataReceived(ByteBuffer chunk) {
                received += chunk.remaining();                // pieces as they arrive, de-chunked
                return null;                                  // or a future: read no more until it is done
            }

            @Override
            public void finish() {
                byte[] body = (received + "\n").getBytes(StandardCharsets.US_ASCII);
                HttpHeaders headers = new HttpHeaders()
                        .set("Content-Type", "text/plain")
                        .set("Content-Length", Integer.toString(body.length));
                connection.writeHeaders(new ResponseStartLine("HTTP/1.1", 200, "OK"), headers, ByteBuffer.wrap(body));
                connection.finish();
            }
        });
    }
    // end::delegate[]
}
