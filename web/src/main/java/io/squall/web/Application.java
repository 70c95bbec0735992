package io.squall.web;

import static io.squall.gen.Coroutines.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.http.HttpConnection;
import io.squall.http.HttpMessageDelegate;
import io.squall.gen.Coroutines;
import io.squall.httpserver.HttpServer;
import io.squall.httpserver.HttpServerConnectionDelegate;
import io.squall.httpserver.HttpServerOptions;
import io.squall.httpserver.HttpServerRequest;
import io.squall.ioloop.IOLoop;
import io.squall.web.security.SignedValues;
import io.squall.web.multipart.MultipartOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
import java.util.regex.Pattern;
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
 * exceptions with their stack trace to {@code io.squall.web.application}, framework warnings to
 * {@code io.squall.web.general}. An {@link HttpError}'s log message ends its request's access log line.
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
    private final boolean jsonErrors;
    private final boolean compressResponse;
    private final List<Filter> filters;
    private final Map<Class<?>, ExceptionMapper<?>> exceptionMappers;
    private final Consumer<? super RequestHandler> logFunction;
    private final SignedValues cookieSigner;
    private final boolean xsrfCookies;
    private final CookieOptions xsrfCookieOptions;
    private final String loginUrl;
    private final Templates templates;
    private final MultipartOptions multipartOptions;
    private final Path staticPath;
    private final String staticUrlPrefix;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    private Application(Builder b) {
        this.staticPath = b.staticPath;
        this.staticUrlPrefix = b.staticUrlPrefix;
        List<Route> routes = new ArrayList<>(b.routes);
        if (staticPath != null) { // first, as in Tornado
            routes.addFirst(Route.of(Pattern.quote(staticUrlPrefix) + "(.*)", () -> new StaticFileHandler(staticPath)));
        }
        this.router = new Router(routes, b.defaultHost);
        b.hostRoutes.forEach(router::addHostRoutes);
        this.defaultHandler = b.defaultHandler;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(b.settings));
        this.serverOptions = b.serverOptions;
        this.objectMapper = b.objectMapper != null ? b.objectMapper : new ObjectMapper();
        this.serveTraceback = b.serveTraceback;
        this.jsonErrors = b.jsonErrors;
        this.compressResponse = b.compressResponse;
        this.filters = List.copyOf(b.filters);
        this.exceptionMappers = Map.copyOf(b.exceptionMappers);
        this.logFunction = b.logFunction;
        this.cookieSigner = b.cookieSecrets == null ? null : SignedValues.of(b.cookieSecrets);
        this.xsrfCookies = b.xsrfCookies;
        this.xsrfCookieOptions = b.xsrfCookieOptions;
        this.loginUrl = b.loginUrl;
        boolean cache = !b.debug;
        if (b.templatePath != null) {
            this.templates = Templates.fromDirectory(b.templatePath, cache);
        } else if (b.templateResources != null) {
            this.templates = Templates.fromClasspath(b.templateResources, b.templateClassLoader, cache);
        } else {
            this.templates = null;
        }
        this.multipartOptions = b.multipartOptions;
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

    /**
     * The URL of the static file {@code path} (relative to {@link Builder#staticPath}, {@code /}-separated):
     * the static prefix, the path percent-encoded, and {@code ?v=} with a hash of the file's content, so that
     * the URL changes when the file does and may be cached for a year ({@link StaticFileHandler}). The hash
     * is computed once per version of the file, on the loop's executor when called in a coroutine (it
     * awaits); a missing file gets no {@code v}.
     *
     * @throws IllegalStateException if the application has no static path
     */
    public String staticUrl(String path) {
        if (staticPath == null) {
            throw new IllegalStateException("staticUrl needs Application.Builder.staticPath");
        }
        String hash = Coroutines.inCoroutine()
                ? await(IOLoop.current().runInExecutor(null, () -> StaticFiles.version(staticPath, path)))
                : versionNow(path);
        StringBuilder url = new StringBuilder(staticUrlPrefix);
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            url.append(i == 0 ? "" : "/").append(Escape.urlEscape(segments[i], false));
        }
        return hash == null ? url.toString() : url.append("?v=").append(hash).toString();
    }

    private String versionNow(String path) {
        try {
            return StaticFiles.version(staticPath, path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory {@link Builder#staticPath} serves, or null. */
    public Path staticPath() {
        return staticPath;
    }

    /** The limits of {@code multipart/form-data} bodies (see {@link Builder#multipartOptions}). */
    public MultipartOptions multipartOptions() {
        return multipartOptions;
    }

    /** Whether error pages show the stack trace of the exception (Tornado's {@code serve_traceback}). */
    public boolean serveTraceback() {
        return serveTraceback;
    }

    /** Whether non-GET/HEAD/OPTIONS requests must carry the XSRF token (see {@link Builder#xsrfCookies}). */
    public boolean xsrfCookies() {
        return xsrfCookies;
    }

    /** Where {@link io.squall.web.security.Authenticated} sends anonymous GETs, or null. */
    public String loginUrl() {
        return loginUrl;
    }

    /** The signer of signed cookies, or null without a {@linkplain Builder#cookieSecret cookie secret}. */
    SignedValues cookieSigner() {
        return cookieSigner;
    }

    CookieOptions xsrfCookieOptions() {
        return xsrfCookieOptions;
    }

    /** The templates {@link RequestHandler#render} uses, or null if none are configured. */
    Templates templates() {
        return templates;
    }

    /** Whether error responses are always JSON (see {@link Builder#jsonErrors}). */
    public boolean jsonErrors() {
        return jsonErrors;
    }

    /** Whether responses are gzip-compressed for clients that accept it (see {@link Builder#compressResponse}). */
    public boolean compressResponse() {
        return compressResponse;
    }

    /** The filters every request goes through, in order (see {@link Builder#filter}). */
    public List<Filter> filters() {
        return filters;
    }

    /**
     * The mapper for {@code exception}: the one registered for its class, else for its closest superclass
     * that has one; null if none.
     */
    @SuppressWarnings("unchecked")
    public ExceptionMapper<Throwable> exceptionMapper(Throwable exception) {
        for (Class<?> type = exception.getClass(); type != null; type = type.getSuperclass()) {
            ExceptionMapper<?> mapper = exceptionMappers.get(type);
            if (mapper != null) {
                return (ExceptionMapper<Throwable>) mapper;
            }
        }
        return null;
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
     * {@code STATUS METHOD URI (IP) TIMEms}, followed by {@code : MESSAGE} when an {@link HttpError} with a
     * log message ended the request, at INFO for a status below 400, WARN below 500, ERROR above;
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
        if (handler.logMessage() != null) {
            line += ": " + handler.logMessage();
        }
        if (handler.responseCutOff()) {
            ACCESS_LOG.error(line + ", response cut off: the connection was closed");
        } else if (status < 400) {
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
        private boolean jsonErrors;
        private boolean compressResponse;
        private final List<Filter> filters = new ArrayList<>();
        private final Map<Class<?>, ExceptionMapper<?>> exceptionMappers = new LinkedHashMap<>();
        private Consumer<? super RequestHandler> logFunction;
        private Map<Integer, String> cookieSecrets;
        private boolean xsrfCookies;
        private CookieOptions xsrfCookieOptions = CookieOptions.builder().sameSite("Lax").build();
        private String loginUrl;
        private Path templatePath;
        private String templateResources;
        private ClassLoader templateClassLoader;
        private boolean debug;
        private MultipartOptions multipartOptions = MultipartOptions.DEFAULTS;
        private Path staticPath;
        private String staticUrlPrefix = "/static/";

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

        /**
         * Adds a route whose requests go to {@code delegate}: a nested {@code Application} or any
         * {@link HttpServerConnectionDelegate} (see {@link Route#to}).
         */
        public Builder routeTo(String pattern, HttpServerConnectionDelegate delegate) {
            return route(Route.to(pattern, delegate));
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

        /**
         * The limits of {@code multipart/form-data} bodies: parts, header bytes per part, field size, and the
         * size above which a file goes to a temporary file; {@link MultipartOptions#DEFAULTS} by default.
         */
        public Builder multipartOptions(MultipartOptions options) {
            this.multipartOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Serves the files under {@code directory} at the {@linkplain #staticUrlPrefix static prefix} with a
         * {@link StaticFileHandler} (a route tried before the others), and lets {@link Application#staticUrl}
         * make versioned URLs for them (Tornado's {@code static_path}).
         */
        public Builder staticPath(Path directory) {
            this.staticPath = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Where {@link #staticPath} is served: {@code /static/} by default; must start and end with {@code /}. */
        public Builder staticUrlPrefix(String prefix) {
            if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
                throw new IllegalArgumentException("a static URL prefix starts and ends with /: " + prefix);
            }
            this.staticUrlPrefix = prefix;
            return this;
        }

        /** Whether error pages show the exception's stack trace (for development only); off by default. */
        public Builder serveTraceback(boolean on) {
            this.serveTraceback = on;
            return this;
        }

        /**
         * Whether every error response is JSON, {@code {"status": 404, "error": "Not Found"}} (for an API);
         * off by default, where only requests whose {@code Accept} prefers {@code application/json} get
         * JSON errors and others an HTML page (see {@link RequestHandler#writeError}).
         */
        public Builder jsonErrors(boolean on) {
            this.jsonErrors = on;
            return this;
        }

        /**
         * Whether to compress responses with gzip (Tornado's {@code compress_response}); off by default. A
         * response is compressed when the request's {@code Accept-Encoding} gives gzip a quality above 0
         * ({@code gzip;q=0} refuses it), its type is text, JSON, JavaScript, XML or SVG, and it is at least
         * 1 KiB long or streamed ({@link RequestHandler#flush()}: each flush sends what can be decoded so far);
         * never a 1xx, 204, 206 or 304 response, a response that already has a {@code Content-Encoding}, or a
         * response to HEAD (whose headers then describe the uncompressed body). With the setting every
         * response gets {@code Vary: Accept-Encoding}, and a compressed one a weak ETag.
         */
        public Builder compressResponse(boolean on) {
            this.compressResponse = on;
            return this;
        }

        /** Adds a filter that every request goes through, after those added before (see {@link Filter}). */
        public Builder filter(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * Writes the response to exceptions of {@code type} and its subclasses (without a mapper of their
         * own) with {@code mapper}, for every handler (see {@link ExceptionMapper}); replaces an earlier
         * mapper of the same type. {@code HttpError.class} covers every error raised on purpose, 404s of
         * unmatched routes included.
         */
        public <E extends Throwable> Builder exceptionMapper(Class<E> type, ExceptionMapper<? super E> mapper) {
            exceptionMappers.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(mapper, "mapper"));
            return this;
        }

        /** Replaces the access log line of {@link Application#logRequest} by a call of {@code function}. */
        public Builder logFunction(Consumer<? super RequestHandler> function) {
            this.logFunction = function;
            return this;
        }

        /**
         * Development mode (part of Tornado's {@code debug}): error pages show stack traces, and templates
         * are compiled again on every use so that edits show at once. Off by default.
         */
        public Builder debug(boolean on) {
            this.debug = on;
            return serveTraceback(on);
        }

        /**
         * The secret that signs cookies ({@link RequestHandler#setSignedCookie}): at least 32 bytes, random,
         * kept out of source control. Same as {@code cookieSecrets(Map.of(0, secret))}.
         */
        public Builder cookieSecret(String secret) {
            return cookieSecrets(Map.of(0, Objects.requireNonNull(secret, "secret")));
        }

        /**
         * Numbered cookie secrets, for key rotation: the highest version signs new cookies, every version
         * verifies (see {@link SignedValues}).
         *
         * @throws IllegalArgumentException at {@link #build()} if a secret is too short or a version negative
         */
        public Builder cookieSecrets(Map<Integer, String> secrets) {
            this.cookieSecrets = Map.copyOf(secrets);
            return this;
        }

        /**
         * Turns XSRF protection on (Tornado's {@code xsrf_cookies}): every request but GET, HEAD and OPTIONS
         * must carry the token of {@link RequestHandler#xsrfToken()}, or gets 403.
         */
        public Builder xsrfCookies(boolean on) {
            this.xsrfCookies = on;
            return this;
        }

        /** The attributes of the {@code _xsrf} cookie: by default {@code Path=/; SameSite=Lax}. */
        public Builder xsrfCookieOptions(CookieOptions options) {
            this.xsrfCookieOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Where {@link io.squall.web.security.Authenticated} sends anonymous GET and HEAD requests. */
        public Builder loginUrl(String url) {
            this.loginUrl = url;
            return this;
        }

        /** Renders templates from files under {@code directory} (Tornado's {@code template_path}). */
        public Builder templatePath(Path directory) {
            this.templatePath = Objects.requireNonNull(directory, "directory");
            this.templateResources = null;
            return this;
        }

        /**
         * Renders templates from class-path resources under {@code prefix} (e.g. {@code "templates"}), found
         * through the class loader of the calling thread; for applications shipped as a jar.
         */
        public Builder templateResources(String prefix) {
            this.templateResources = Objects.requireNonNull(prefix, "prefix");
            this.templateClassLoader = Thread.currentThread().getContextClassLoader();
            this.templatePath = null;
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
