package io.squall.web;

import io.squall.concurrent.Future;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import io.squall.http.HttpMessageDelegate;
import io.squall.http.RequestStartLine;
import io.squall.httpserver.HttpServerRequest;
import io.squall.web.multipart.MultipartException;
import io.squall.web.multipart.MultipartForm;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one request for an {@link Application} (Tornado's {@code _RequestDispatcher}): routes it and makes
 * its handler as soon as its head arrives, then receives its body in one of three ways. A handler annotated
 * {@link StreamRequestBody} starts at once and gets each piece as it arrives; a {@code multipart/form-data}
 * body is parsed as it arrives into a {@link MultipartForm} (large files to temporary files, deleted when the
 * request ends); any other body is collected (the connection enforces the maximum size). The lifecycle runs
 * in the connection's coroutine: no coroutine is started per request, and the connection goes on with the
 * next request as soon as the response is finished, even if the handler then awaits more. A request routed
 * {@linkplain Route#to to a delegate} is handed over to the message delegate that one starts for it, call by
 * call.
 */
final class RequestDispatcher implements HttpMessageDelegate {
    private static final Logger APP_LOG = LoggerFactory.getLogger("io.squall.web.application");

    private final Application application;
    private final HttpConnection connection;
    private HttpServerRequest request;
    private Router.Target target;
    private RequestHandler handler;
    /** Whether the handler streams the body; if so, whether it still wants it (its response is not finished). */
    private boolean streaming;
    private boolean wantsBody;
    private ByteArrayOutputStream body;
    private MultipartForm form;
    private MultipartException formError;
    /** Whether {@link #finish()} began: it then deletes the form's files once the handler is done with them. */
    private boolean finishing;
    /** The message delegate of a route to a delegate, which gets the rest of the request; else null. */
    private HttpMessageDelegate delegated;

    RequestDispatcher(Application application, HttpConnection connection) {
        this.application = application;
        this.connection = connection;
    }

    @Override
    public Future<?> headersReceived(RequestStartLine startLine, HttpHeaders headers) throws Exception {
        request = new HttpServerRequest(connection, startLine, headers);
        target = application.findHandler(request);
        if (target.delegate() != null) {
            delegated = target.delegate().startRequest(connection);
            return delegated.headersReceived(startLine, headers);
        }
        handler = newHandler();
        handler.bind(application, request);
        streaming = handler.getClass().isAnnotationPresent(StreamRequestBody.class);
        if (streaming) {
            wantsBody = handler.start(target.groups()); // prepare() may raise this request's limits
            return null;
        }
        String contentType = headers.get("Content-Type");
        if (contentType != null && contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            try {
                form = new MultipartForm(contentType, application.multipartOptions());
            } catch (MultipartException e) {
                formError = e;
            }
        }
        return null;
    }

    @Override
    public Future<?> dataReceived(ByteBuffer chunk) throws Exception {
        if (delegated != null) {
            return delegated.dataReceived(chunk);
        }
        if (streaming) {
            if (wantsBody && !handler.receive(chunk)) {
                wantsBody = false;
            }
            if (!wantsBody) { // answered before the end of the body: stop reading it, close once the answer is out
                throw new HttpInputException(handler.status(), "response finished before the request body was read");
            }
            return null;
        }
        if (formError != null) {
            return null; // the rest of a refused form is read and dropped, so that the connection can go on
        }
        if (form != null) {
            try {
                return form.feed(chunk);
            } catch (MultipartException e) {
                formError = e;
                form.close();
                return null;
            }
        }
        if (body == null) {
            body = new ByteArrayOutputStream(chunk.remaining());
        }
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        body.writeBytes(bytes);
        return null;
    }

    @Override
    public void finish() throws Exception {
        if (delegated != null) {
            delegated.finish();
            return;
        }
        finishing = true;
        if (streaming) {
            if (wantsBody) {
                run(handler::serve);
            }
            return;
        }
        if (body != null) {
            request.setBody(body.toByteArray());
            body = null;
        }
        if (form != null && formError == null) {
            try {
                form.end();
            } catch (MultipartException e) {
                formError = e;
            }
        }
        handler.bindForm(formError == null ? form : null, formError);
        try {
            run(() -> handler.execute(target.groups()));
        } finally {
            if (form != null) {
                form.close();
            }
        }
    }

    /** Runs (the rest of) the handler's lifecycle; closes the connection if the response was left unfinished. */
    private void run(Runnable lifecycle) {
        try {
            lifecycle.run();
        } catch (Throwable t) { // the handler already dealt with every Exception: this is an Error
            APP_LOG.error("Uncaught error serving {}", request, t);
        } finally {
            if (!handler.isFinished()) {
                APP_LOG.error("{} did not finish its response to {}; closing the connection",
                        handler.getClass().getName(), request);
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
        if (delegated != null) {
            delegated.onConnectionClose();
            return;
        }
        body = null;
        if (form != null && !finishing) {
            form.close();
        }
        if (handler != null) {
            handler.connectionClosed();
        }
    }
}
