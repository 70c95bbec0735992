package io.squall.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.http.HttpConnection;
import io.squall.http.HttpMessageDelegate;
import io.squall.httpserver.HttpServer;
import io.squall.httpserver.HttpServerConnectionDelegate;
import io.squall.httpserver.HttpServerOptions;
import io.squall.httpserver.HttpServerRequest;
import io.squall.ioloop.IOLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web application (Tornado's {@code web.Application}): routes requests to {@link RequestHandler}s and
 * serves them over an {@link HttpServer}. Each request gets a new handler, made by its route's factory,
 * whose lifecycle runs as one coroutine on the connection's loop.
 *
 * <pre>{@code
 * Application app = Application.builder()
 *         .route("/", MainHandler.class)
 *         .route("/user/(?<id>[0-9]+)", UserHandler::new, "user")
 *         .route("/old/(.*)", () -> new RedirectHandler("/new/{0}", true))
 *         .build();
 * int port = app.listen(8888);
 * IOLoop.current().start();
 * }</pre>
 *
 * <p>Routing: see {@link Route} for path patterns and {@link Builder#addHandlers} for host-specific routes.
 * A request no route matches goes to the default handler: a 404 page unless
 * {@link Builder#defaultHandler} says otherwise.
 *
 * <p>Logging: one line per finished request to {@code io.squall.web.access}, in Tornado's format
 * ({@code 200 GET /path (127.0.0.1) 1.23ms}) at INFO below 400, WARN below 500 and ERROR above; uncaught
 * exceptions with their stack trace to {@code io.squall.web.application}; {@link HttpError} log messages
 * and framework warnings to {@code io.squall.web.general}.
 *
 * <p>An application is immutable apart from {@link #addHandlers}, and can serve several loops at once.
 */
public final class Application implements HttpServerConnectionDelegate, AutoCloseable {
    private static final Logger ACCESS_LOG = LoggerFactory.getLogger("io.squall.web.access");

    private final Router router;
    private final Supplier<? extends RequestHandler> defaultHandler;
    private final Map<String, Object> settings;
    private final HttpServerOptions serverOptions;
    private final ObjectMapper objectMapper;
    private final boolean serveTraceback;
    private final Consumer<? super RequestHandler> logFunction;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    private Application(Builder b) {
        this.router = new Router(b.routes, b.defaultHost);
        b.hostRoutes.forEach(router::addHostRoutes);
        this.defaultHandler = b.defaultHandler;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(b.settings));
        this.serverOptions = b.serverOptions;
        this.objectMapper = b.objectMapper != null ? b.objectMapper : new ObjectMapper();
        this.serveTraceback = b.serveTraceback;
        this.logFunction = b.logFunction;
    }

    /** Starts an application with no routes and default settings. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ serving

    /**
     * Serves this application on {@code port} on every interface, on {@link IOLoop#current()}, with the
     * {@linkplain Builder#serverOptions server options} of the application; returns the port (useful with 0).
     */
    public int listen(int port) {
        return listen(port, null, serverOptions);
    }

    /** Serves this application on {@code port} at {@code address} (null: every interface); returns the port. */
    public int listen(int port, String address) {
        return listen(port, address, serverOptions);
    }

    /**
     * Serves this application on {@code port} at {@code address} with {@code options}, on
     * {@link IOLoop#current()}; returns the port. {@link #close()} stops every server started here.
     */
    public int listen(int port, String address, HttpServerOptions options) {
        HttpServer server = new HttpServer(this, options);
        int bound = server.listen(port, address);
        servers.add(server);
        return bound;
    }

    /**
     * Stops the servers {@link #listen} started and closes their connections (each on its loop: the
     * connections close when their loop next runs). Idempotent.
     */
    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.stop();
            server.closeAllConnections();
        }
        servers.clear();
    }

    @Override
    public HttpMessageDelegate startRequest(HttpConnection connection) {
        return new RequestDispatcher(this, connection);
    }

    // ------------------------------------------------------------------ routing

    /**
     * Adds routes that apply only to requests whose host name (the {@code Host} header without its port)
     * fully matches the regex {@code hostPattern}; they are tried before the routes for every host, after
     * the host routes added before (Tornado's {@code add_handlers}). May be called while serving.
     */
    public void addHandlers(String hostPattern, List<Route> routes) {
        router.addHostRoutes(hostPattern, routes);
    }

    /**
     * The path of the route named {@code name} for {@code args} (see {@link Route#reverse}).
     *
     * @throws IllegalArgumentException if no route has that name
     */
    public String reverseUrl(String name, Object... args) {
        Route route = router.named(Objects.requireNonNull(name, "name"));
        if (route == null) {
            throw new IllegalArgumentException(name + " not found in named urls");
        }
        return route.reverse(args);
    }

    /** The handler factory and raw path groups for {@code request}: its route's, or the default handler. */
    Router.Target findHandler(HttpServerRequest request) {
        Router.Target target = router.find(request);
        return target != null ? target : new Router.Target(defaultHandler, Route.PathMatch.NONE);
    }

    // ------------------------------------------------------------------ settings

    /** The application's free-form settings (see {@link Builder#setting}): unmodifiable. */
    public Map<String, Object> settings() {
        return settings;
    }

    /** The options {@link #listen(int)} gives its server. */
    public HttpServerOptions serverOptions() {
        return serverOptions;
    }

    /** The host whose host-specific routes also serve requests to unknown hosts, or null. */
    public String defaultHost() {
        return router.defaultHost();
    }

    /** The JSON mapper of {@link RequestHandler#write(Object)} and {@link RequestHandler#bodyAsJson}. */
    public ObjectMapper objectMapper() {
        return objectMapper;
    }

    /** Whether error pages show the stack trace of the exception (Tornado's {@code serve_traceback}). */
    public boolean serveTraceback() {
        return serveTraceback;
    }

    /** {@code value} as JSON, with {@code </} escaped as {@code <\/} so that it can be put in a script tag. */
    String toJson(Object value) {
        try {
            return objectMapper.writeValueAsString(value).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    // ------------------------------------------------------------------ logging

    /**
     * Logs a finished request (Tornado's {@code log_request}): one line to {@code io.squall.web.access},
     * {@code STATUS METHOD URI (IP) TIMEms}, at INFO for a status below 400, WARN below 500, ERROR above;
     * or hands the handler to the {@linkplain Builder#logFunction log function} if one is set.
     */
    public void logRequest(RequestHandler handler) {
        if (logFunction != null) {
            logFunction.accept(handler);
            return;
        }
        int status = handler.status();
        String line = String.format(Locale.ROOT, "%d %s %.2fms", status, handler.requestSummary(),
                handler.request().requestTime().toNanos() / 1e6);
        if (status < 400) {
            ACCESS_LOG.info(line);
        } else if (status < 500) {
            ACCESS_LOG.warn(line);
        } else {
            ACCESS_LOG.error(line);
        }
    }

    /** Builder of an {@link Application}: routes first to last, then settings. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private final Map<String, List<Route>> hostRoutes = new LinkedHashMap<>();
        private final Map<String, Object> settings = new LinkedHashMap<>();
        private String defaultHost;
        private Supplier<? extends RequestHandler> defaultHandler = () -> new ErrorHandler(404);
        private HttpServerOptions serverOptions = HttpServerOptions.DEFAULTS;
        private ObjectMapper objectMapper;
        private boolean serveTraceback;
        private Consumer<? super RequestHandler> logFunction;

        private Builder() {}

        /** Adds a route for every host; routes are tried in the order they are added. */
        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** Adds a route to handlers made by {@code factory}, such as {@code MainHandler::new}. */
        public Builder route(String pattern, Supplier<? extends RequestHandler> factory) {
            return route(Route.of(pattern, factory));
        }

        /** Adds a route named {@code name} (for {@link Application#reverseUrl}) to handlers made by {@code factory}. */
        public Builder route(String pattern, Supplier<? extends RequestHandler> factory, String name) {
            return route(Route.of(pattern, factory, name));
        }

        /** Adds a route to handlers of class {@code type}, made with its no-argument constructor. */
        public Builder route(String pattern, Class<? extends RequestHandler> type) {
            return route(Route.of(pattern, type));
        }

        /** Adds a route named {@code name} to handlers of class {@code type}. */
        public Builder route(String pattern, Class<? extends RequestHandler> type, String name) {
            return route(Route.of(pattern, type, name));
        }

        /**
         * Adds routes for the hosts {@code hostPattern} matches (see {@link Application#addHandlers}). Routes
         * for the same pattern, given twice, are kept together in the first one's place.
         */
        public Builder addHandlers(String hostPattern, List<Route> hostRoutes) {
            Objects.requireNonNull(hostPattern, "hostPattern");
            this.hostRoutes.computeIfAbsent(hostPattern, k -> new ArrayList<>()).addAll(hostRoutes);
            return this;
        }

        /**
         * The host whose host-specific routes also serve requests to hosts no host pattern matches (unless
         * they come through a proxy that sets {@code X-Real-Ip}), as Tornado's {@code default_host}.
         */
        public Builder defaultHost(String host) {
            this.defaultHost = host;
            return this;
        }

        /**
         * What serves requests no route matches (Tornado's {@code default_handler_class} and
         * {@code default_handler_args}): by default {@code () -> new ErrorHandler(404)}.
         */
        public Builder defaultHandler(Supplier<? extends RequestHandler> factory) {
            this.defaultHandler = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** The options of the servers {@link Application#listen(int)} starts. */
        public Builder serverOptions(HttpServerOptions options) {
            this.serverOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The JSON mapper for responses and request bodies; by default a plain {@code new ObjectMapper()}. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.objectMapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** Whether error pages show the exception's stack trace (for development only); off by default. */
        public Builder serveTraceback(boolean on) {
            this.serveTraceback = on;
            return this;
        }

        /** Replaces the access log line of {@link Application#logRequest} by a call of {@code function}. */
        public Builder logFunction(Consumer<? super RequestHandler> function) {
            this.logFunction = function;
            return this;
        }

        /** Adds a free-form setting that handlers read with {@link RequestHandler#settings()}. */
        public Builder setting(String name, Object value) {
            settings.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /** Adds free-form settings; see {@link #setting}. */
        public Builder settings(Map<String, ?> values) {
            values.forEach(this::setting);
            return this;
        }

        /** Builds the application. */
        public Application build() {
            return new Application(this);
        }
    }
}
