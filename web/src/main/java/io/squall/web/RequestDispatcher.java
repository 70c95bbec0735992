package io.squall.web;

import io.squall.concurrent.Future;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.RequestStartLine;
import io.squall.httpserver.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one request for an {@link Application} (Tornado's {@code _RequestDispatcher}): routes it as soon
 * as its head arrives, collects its body (the connection enforces the maximum size), then makes the handler
 * and runs its lifecycle in the connection's coroutine: no coroutine is started per request, and the
 * connection goes on with the next request as soon as the response is finished, even if the handler then
 * awaits more.
 */
final class RequestDispatcher implements HttpMessageDelegate {
    private static final Logger APP_LOG = LoggerFactory.getLogger("io.squall.web.application");

    private final Application application;
    private final HttpConnection connection;
    private HttpServerRequest request;
    private Router.Target target;
    private ByteArrayOutputStream body;
    private RequestHandler handler;

    RequestDispatcher(Application application, HttpConnection connection) {
        this.application = application;
        this.connection = connection;
    }

    @Override
    public Future<?> headersReceived(RequestStartLine startLine, HttpHeaders headers) {
        request = new HttpServerRequest(connection, startLine, headers);
        target = application.findHandler(request);
        return null;
    }

    @Override
    public Future<?> dataReceived(ByteBuffer chunk) {
        if (body == null) {
            body = new ByteArrayOutputStream(chunk.remaining());
        }
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        body.writeBytes(bytes);
        return null;
    }

    @Override
    public void finish() {
        if (body != null) {
            request.setBody(body.toByteArray());
            body = null;
        }
        handler = newHandler();
        handler.bind(application, request);
        run(handler);
    }

    /** Runs the handler's lifecycle; closes the connection if the response was left unfinished. */
    private void run(RequestHandler running) {
        try {
            running.execute(target.groups());
        } catch (Throwable t) { // the handler already dealt with every Exception: this is an Error
            APP_LOG.error("Uncaught error serving {}", request, t);
        } finally {
            if (!running.isFinished()) {
                APP_LOG.error("{} did not finish its response to {}; closing the connection",
                        running.getClass().getName(), request);
                connection.close();
            }
        }
    }

    /** A handler from the route's factory, or a 500 page if the factory fails. */
    private RequestHandler newHandler() {
        try {
            return Objects.requireNonNull(target.factory().get(), "the handler factory returned null");
        } catch (RuntimeException e) {
            APP_LOG.error("Cannot create the handler for {}", request, e);
            return new ErrorHandler(500);
        }
    }

    @Override
    public void onConnectionClose() {
        body = null;
        if (handler != null) {
            handler.connectionClosed();
        }
    }
}
