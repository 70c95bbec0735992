package io.squall.web;

import static io.squall.gen.Coroutines.inCoroutine;
import static io.squall.gen.Coroutines.spawnOn;

import io.squall.concurrent.Future;
import io.squall.http.HttpConnection;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpUtil;
import io.squall.http.ResponseStartLine;
import io.squall.http.SquallVersion;
import io.squall.httpserver.HttpServerRequest;
import io.squall.ioloop.IOLoop;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.web.security.Authenticated;
import io.squall.web.security.SignedValues;
import io.squall.web.security.XsrfTokens;
import io.squall.web.multipart.MultipartException;
import io.squall.web.multipart.MultipartForm;
import io.squall.web.multipart.UploadedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one HTTP request (Tornado's {@code RequestHandler}). Subclass it, override the methods of the HTTP
 * methods you serve ({@link #get()}, {@link #post()}...), and route to it with an {@link Application}; a
 * new instance serves each request.
 *
 * <pre>{@code
 * class UserHandler extends RequestHandler {
 *     private final UserStore store;
 *
 *     UserHandler(UserStore store) {          // Tornado's initialize(**kwargs): constructor arguments,
 *         this.store = store;                  // passed by the route's factory () -> new UserHandler(store)
 *     }
 *
 *     @Override
 *     protected void get() {
 *         User user = await(store.find(pathKwargs().get("id")));   // handlers may await
 *         if (user == null) {
 *             throw new HttpError(404);
 *         }
 *         write(user);                          // a record or Map is written as JSON
 *     }
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * All of it runs in one coroutine on the connection's loop, after the whole request body arrived, so any
 * step may {@link io.squall.gen.Coroutines#await await}: {@link #initialize()}; the application's
 * {@linkplain Filter#before filters}; a 405 (with {@code Allow}: {@link #allowedMethods()}) if the method is
 * not in {@link #supportedMethods()}; {@link #prepare()}; the method ({@link #get()}, {@link #head()},
 * {@link #post()}, {@link #delete()}, {@link #patch()}, {@link #put()}, {@link #options()}, or
 * {@link #otherMethod} for an extension method; HEAD runs {@code get()} when only that is overridden), unless
 * {@code prepare} finished the response; then
 * {@link #finish()} if the method did not. {@link #onFinish()} runs once the response is finished, and
 * {@link #onConnectionClose()} (in a coroutine of its own) if the client goes away before. A handler
 * annotated {@link StreamRequestBody} starts as soon as the head arrived and gets the body through
 * {@link #dataReceived} before the method runs.
 *
 * <h2>Errors</h2>
 * An exception thrown by any step becomes an error response through {@link #sendError(int, Throwable)}:
 * {@link HttpError} gives its status, {@link Finish} ends the response as it stands, anything else is
 * logged with its stack trace and gives 500. Override {@link #writeError} for custom error pages and
 * {@link #logException} for custom logging.
 *
 * <h2>Output</h2>
 * {@link #write} buffers the body; {@link #flush()} sends the headers and what is buffered (the response is
 * then chunked, unless a {@code Content-Length} was set); {@link #finish()} sends the rest, with a
 * {@code Content-Length} if nothing was flushed before, and an {@code Etag} (answering 304 to a matching
 * {@code If-None-Match}) for a 200 response to GET or HEAD.
 *
 * <p>A handler belongs to its loop: call its methods from the handler's own coroutines and callbacks.
 */
public abstract class RequestHandler {
    /** The methods a handler serves unless {@link #supportedMethods()} says otherwise (Tornado's list). */
    public static final Set<String> SUPPORTED_METHODS = Set.of("GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS");

    static final Logger APP_LOG = LoggerFactory.getLogger("io.squall.web.application");
    static final Logger GEN_LOG = LoggerFactory.getLogger("io.squall.web.general");

    private static final String SERVER = "Squall/" + SquallVersion.VALUE;
    private static final Pattern CONTROL_CHARS = Pattern.compile("[\\x00-\\x08\\x0e-\\x1f]");
    private static final Pattern ENTITY_TAGS = Pattern.compile("\\*|(?:W/)?\"[^\"]*\"");
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);
    /** The headers every response starts with, validated once: {@link #clear()} copies them. */
    private static final HttpHeaders DEFAULT_HEADERS = new HttpHeaders()
            .set("Server", SERVER)
            .set("Content-Type", "text/html; charset=UTF-8");

    /**
     * What {@link #setSignedCookie(String, String)} sets: {@code Path=/}, {@code HttpOnly},
     * {@code SameSite=Lax}, and a 30-day {@code Max-Age}.
     */
    public static final CookieOptions SIGNED_COOKIE_OPTIONS = CookieOptions.builder().httpOnly(true).sameSite("Lax")
            .maxAge(Duration.ofDays(30)).build();
    /** How old a signed cookie {@link #getSignedCookie(String)} accepts: 31 days (Tornado's default). */
    public static final Duration SIGNED_COOKIE_MAX_AGE = Duration.ofDays(31);
    private static final String XSRF_COOKIE = "_xsrf";
    private static final String XSRF_FIELD = "_xsrf";
    private static final Set<String> XSRF_SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** For each handler class and method name: whether {@link Authenticated} guards it. */
    private static final ClassValue<Map<String, Boolean>> AUTHENTICATED = new ClassValue<>() {
        @Override
        protected Map<String, Boolean> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Application application;
    private HttpServerRequest request;
    private String xsrfToken;
    private Object currentUser;
    private boolean currentUserKnown;
    private List<String> pathArgs = List.of();
    private Map<String, String> pathKwargs = Map.of();

    private HttpHeaders headers = new HttpHeaders();
    private int status = 200;
    private String reason = "OK";
    private final List<byte[]> writeBuffer = new ArrayList<>(2);
    private long bufferedBytes;
    private boolean headersWritten;
    /** Whether the response could not be completed once its head was out, and the connection was closed. */
    private boolean responseCutOff;
    private boolean finished;
    /** The Set-Cookie values to send, by cookie name, in the order they were last set; null until one is. */
    private Map<String, String> newCookies;
    private Map<String, List<String>> queryArguments;
    private Map<String, List<String>> bodyArguments;
    /** The multipart/form-data body, if the request has one, and why it was refused, if it was. */
    private MultipartForm form;
    private MultipartException bodyError;
    /** Whether the lifecycle began (initialize() was called). */
    private boolean started;
    /** The gzip coding of a streamed response under way (see {@link #startCompression}); null if none. */
    private GzipResponse gzip;
    /** The log message of the HttpError that ended the request, for the access log; null if none. */
    private String logMessage;

    /** Per-request values of filters and handlers (see {@link #setAttribute}); null until one is set. */
    private Map<String, Object> attributes;

    /** For subclasses; they get their arguments through their own constructors. */
    protected RequestHandler() {}

    // ------------------------------------------------------------------ lifecycle (called by the framework)

    /** Attaches the handler to its request; called once by the dispatcher before {@link #execute}. */
    final void bind(Application application, HttpServerRequest request) {
        this.application = application;
        this.request = request;
    }

    /** Gives the handler its parsed multipart body, or the error that refused it; before {@link #execute}. */
    final void bindForm(MultipartForm form, MultipartException error) {
        this.form = form;
        this.bodyError = error;
    }

    /** Runs the whole lifecycle in the calling coroutine (Tornado's {@code _execute}). */
    final void execute(Route.PathMatch groups) {
        if (start(groups)) {
            serve();
        }
    }

    /**
     * The lifecycle up to and including {@link #prepare()}; returns whether the method should run (the
     * response is not finished).
     */
    final boolean start(Route.PathMatch groups) {
        try {
            started = true;
            clear();
            initialize();
            for (Filter filter : application.filters()) {
                filter.before(this);
                if (finished) {
                    return false;
                }
            }
            String method = request.method();
            if (!supportedMethods().contains(method)) {
                throw new HttpError(405);
            }
            if (bodyError != null) {
                throw new HttpError(bodyError.status(), bodyError.getMessage());
            }
            pathArgs = decodePathArguments(groups.args());
            pathKwargs = decodePathArguments(groups.kwargs());
            if (application.xsrfCookies() && !XSRF_SAFE_METHODS.contains(method)) {
                checkXsrfCookie();
            }
            prepare();
            if (!finished && requiresUser(method) && currentUser() == null) {
                denyAnonymous(method);
            }
            return !finished;
        } catch (Exception e) {
            handleQuietly(e);
            return false;
        }
    }

    /** The method, then {@link #finish()} if the method did not finish. */
    final void serve() {
        try {
            invoke(request.method());
            if (!finished) {
                finish();
            }
        } catch (Exception e) {
            handleQuietly(e);
        }
    }

    /** {@link #dataReceived} for a streaming handler; returns whether more of the body is wanted. */
    final boolean receive(ByteBuffer chunk) {
        try {
            dataReceived(chunk);
        } catch (Exception e) {
            handleQuietly(e);
        }
        return !finished;
    }

    private void handleQuietly(Exception e) {
        try {
            handleRequestException(e);
        } catch (Exception inHandler) {
            APP_LOG.error("Exception in exception handler", inHandler);
        }
    }

    private void invoke(String method) throws Exception {
        switch (method) {
            case "GET" -> get();
            case "HEAD" -> {
                if (ImplementedMethods.of(getClass()).headFromGet()) {
                    get(); // RFC 9110 §9.1: GET's status and headers, the body left out by send()
                } else {
                    head();
                }
            }
            case "POST" -> post();
            case "DELETE" -> delete();
            case "PATCH" -> patch();
            case "PUT" -> put();
            case "OPTIONS" -> options();
            default -> otherMethod(method);
        }
    }

    /** Whether {@link Authenticated} is on this handler's class or on the method serving {@code method}. */
    private boolean requiresUser(String method) {
        Class<?> type = getClass();
        return AUTHENTICATED.get(type).computeIfAbsent(method, m -> type.isAnnotationPresent(Authenticated.class)
                || annotated(type, m.toLowerCase(Locale.ROOT)) || (m.equals("HEAD") && annotated(type, "get")));
    }

    /** Whether the most derived declaration of the no-argument method {@code name} carries {@link Authenticated}. */
    private static boolean annotated(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != RequestHandler.class; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(name).isAnnotationPresent(Authenticated.class);
            } catch (NoSuchMethodException notHere) {
                // look in the superclass
            }
        }
        return false;
    }

    /** The client closed the connection: runs {@link #onConnectionClose()} unless the response is finished. */
    final void connectionClosed() {
        if (started && !finished) {
            runHook(this::onConnectionClose, "onConnectionClose");
        }
    }

    /** Runs a hook in the current coroutine, or in a new one; logs what it throws. */
    private void runHook(Hook hook, String name) {
        if (inCoroutine()) {
            callHook(hook, name);
        } else {
            spawnOn(request.connection().loop(), () -> {
                callHook(hook, name);
                return null;
            });
        }
    }

    private void callHook(Hook hook, String name) {
        try {
            hook.run();
        } catch (Exception e) {
            APP_LOG.error("Exception in {} of {}", name, requestSummary(), e);
        }
    }

    @FunctionalInterface
    private interface Hook {
        void run() throws Exception;
    }

    // ------------------------------------------------------------------ hooks for subclasses

    /**
     * Called first, once the handler knows its request (Tornado's {@code initialize}, minus the arguments:
     * give those to the constructor). Nothing by default.
     */
    protected void initialize() throws Exception {}

    /**
     * Called before the method's handler; it may finish the response itself. Nothing by default. For a
     * {@link StreamRequestBody} handler it runs before the body is read, and may raise this request's
     * limits ({@code request().connection().setMaxBodySize(...)}, {@code setBodyTimeout(...)}).
     */
    protected void prepare() throws Exception {}

    /**
     * Receives the next piece of the request body, for a handler annotated {@link StreamRequestBody}
     * (called between {@link #prepare()} and the method). {@code chunk} is only valid during the call; the
     * call may {@code await}, and the connection reads no more of the body until it returns. An exception
     * ends the request with an error page and the rest of the body is not read. By default it throws:
     * a streaming handler must override it.
     */
    protected void dataReceived(ByteBuffer chunk) throws Exception {
        throw new IllegalStateException(getClass().getName() + " is annotated @StreamRequestBody but does not override dataReceived");
    }

    /** Serves GET; 405 by default. */
    protected void get() throws Exception {
        throw new HttpError(405);
    }

    /**
     * Serves HEAD: write as for GET, only the headers are sent. By default a handler that overrides
     * {@link #get()} answers HEAD by running it with the body left out (RFC 9110 §9.1: same status and
     * headers, the {@code Content-Length} of the body GET would send); 405 if it does not.
     */
    protected void head() throws Exception {
        throw new HttpError(405);
    }

    /** Serves POST; 405 by default. */
    protected void post() throws Exception {
        throw new HttpError(405);
    }

    /** Serves DELETE; 405 by default. */
    protected void delete() throws Exception {
        throw new HttpError(405);
    }

    /** Serves PATCH; 405 by default. */
    protected void patch() throws Exception {
        throw new HttpError(405);
    }

    /** Serves PUT; 405 by default. */
    protected void put() throws Exception {
        throw new HttpError(405);
    }

    /** Serves OPTIONS; 405 by default. */
    protected void options() throws Exception {
        throw new HttpError(405);
    }

    /**
     * Serves a method of {@link #supportedMethods()} that is not one of the standard seven (add it there
     * first: other methods get 405 before this is called); 405 by default.
     */
    protected void otherMethod(String method) throws Exception {
        throw new HttpError(405);
    }

    /** The methods this handler serves; others get 405. {@link #SUPPORTED_METHODS} by default. */
    protected Set<String> supportedMethods() {
        return SUPPORTED_METHODS;
    }

    /**
     * The methods this handler answers, for the {@code Allow} header of a 405 (RFC 9110 §15.5.6): those of
     * {@link #supportedMethods()} whose method it overrides (HEAD with GET; an extension method with
     * {@link #otherMethod}), in the order of {@link #SUPPORTED_METHODS} then extension methods sorted.
     */
    public List<String> allowedMethods() {
        return ImplementedMethods.of(getClass()).allowed(supportedMethods());
    }

    /** Called once the response is finished, for cleanup or logging. Nothing by default. */
    protected void onFinish() throws Exception {}

    /**
     * Called, in a coroutine of its own, if the client closes the connection before the response is
     * finished; a handler waiting for something long (long polling) should stop and clean up here.
     * Nothing by default.
     */
    protected void onConnectionClose() throws Exception {}

    /** Adds headers to every response of this handler, error pages included; called by {@link #clear()}. */
    protected void setDefaultHeaders() {}

    // ------------------------------------------------------------------ request

    /** The application. */
    public Application application() {
        return application;
    }

    /** The request. */
    public HttpServerRequest request() {
        return request;
    }

    /**
     * The client's TLS certificate as the handshake verified it (Tornado's {@code get_ssl_certificate}),
     * or null on a plain connection or when the client presented none; the whole chain is
     * {@code request().peerCertificates()}.
     */
    public X509Certificate getSslCertificate() {
        List<X509Certificate> chain = request.peerCertificates();
        return chain.isEmpty() ? null : chain.getFirst();
    }

    /** The application's settings. */
    public Map<String, Object> settings() {
        return application.settings();
    }

    /** The positional groups of the route's pattern, percent-decoded (null for a group that did not match). */
    public List<String> pathArgs() {
        return pathArgs;
    }

    /** The named groups of the route's pattern, percent-decoded (null for a group that did not match). */
    public Map<String, String> pathKwargs() {
        return pathKwargs;
    }

    /** {@link Application#staticUrl}: the versioned URL of a static file (awaits its hash the first time). */
    public String staticUrl(String path) {
        return application.staticUrl(path);
    }

    /**
     * The named path argument {@code name} (a template variable such as {@code {id}} of {@code /todos/{id}},
     * or a named regex group), percent-decoded.
     *
     * @throws MissingArgumentError (400) if the group did not take part in the match
     * @throws IllegalArgumentException if the route has no such variable (a bug: 500)
     */
    public String pathArgument(String name) {
        if (!pathKwargs.containsKey(name)) {
            throw new IllegalArgumentException("the route of " + request.path() + " has no path variable " + name
                    + "; it has " + pathKwargs.keySet());
        }
        String value = pathKwargs.get(name);
        if (value == null) {
            throw new MissingArgumentError(name);
        }
        return value;
    }

    /**
     * The named path argument {@code name} as a {@code type}: {@code pathArgument("id", long.class)}. Types:
     * {@code String}, the primitives and their wrappers, {@code BigInteger}, {@code BigDecimal},
     * {@code UUID}, {@code LocalDate} and enums (by name, ignoring case).
     *
     * @throws HttpError (400) if the value is not a {@code type}
     * @throws MissingArgumentError (400) if the group did not take part in the match
     * @throws IllegalArgumentException if the route has no such variable
     * @throws UnsupportedOperationException if {@code type} is not supported
     */
    public <T> T pathArgument(String name, Class<T> type) {
        ArgumentConverter.checkSupported(type);
        return converted("path", name, pathArgument(name), type);
    }

    /**
     * The query or body argument {@code name} (as {@link #getArgument(String)}) as a {@code type} (see
     * {@link #pathArgument(String, Class)}).
     *
     * @throws MissingArgumentError (400) if there is none
     * @throws HttpError (400) if the value is not a {@code type}
     */
    public <T> T argument(String name, Class<T> type) {
        return typedArgument(Source.ALL, name, type, true, null);
    }

    /** Like {@link #argument(String, Class)}, but {@code defaultValue} if there is no such argument. */
    public <T> T argument(String name, Class<T> type, T defaultValue) {
        return typedArgument(Source.ALL, name, type, false, defaultValue);
    }

    /** Like {@link #argument(String, Class)}, from the query string only. */
    public <T> T queryArgument(String name, Class<T> type) {
        return typedArgument(Source.QUERY, name, type, true, null);
    }

    /** Like {@link #argument(String, Class, Object)}, from the query string only. */
    public <T> T queryArgument(String name, Class<T> type, T defaultValue) {
        return typedArgument(Source.QUERY, name, type, false, defaultValue);
    }

    private <T> T typedArgument(Source source, String name, Class<T> type, boolean required, T defaultValue) {
        ArgumentConverter.checkSupported(type);
        String value = lastValue(source, name, null, required);
        return value == null ? defaultValue : converted(source == Source.QUERY ? "query" : "", name, value, type);
    }

    private static <T> T converted(String kind, String name, String value, Class<T> type) {
        try {
            return ArgumentConverter.convert(value, type);
        } catch (IllegalArgumentException e) {
            String message = "Invalid " + (kind.isEmpty() ? "" : kind + " ") + "argument " + name + ": "
                    + e.getMessage();
            throw HttpError.withMessage(400, message);
        }
    }

    /**
     * Keeps {@code value} under {@code name} for the rest of this request (null removes it): how
     * {@linkplain Filter filters} and handlers share per-request values, such as a request ID or the
     * authenticated user.
     */
    public void setAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (attributes == null) {
            attributes = new LinkedHashMap<>();
        }
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    /** The value {@link #setAttribute} kept under {@code name}, or null. */
    public Object attribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    /** {@link Application#reverseUrl}. */
    public String reverseUrl(String name, Object... args) {
        return application.reverseUrl(name, args);
    }

    /**
     * The last value of the query or body argument {@code name} (a body value wins over a query value),
     * with control characters replaced by spaces and surrounding whitespace removed.
     *
     * @throws MissingArgumentError (400) if there is none
     * @throws HttpError (400) if the query or body is not valid UTF-8
     */
    public String getArgument(String name) {
        return lastValue(Source.ALL, name, null, true);
    }

    /** Like {@link #getArgument(String)}, but {@code defaultValue} (which may be null) if there is none. */
    public String getArgument(String name, String defaultValue) {
        return lastValue(Source.ALL, name, defaultValue, false);
    }

    /** Every value of the argument {@code name}: the query's, then the body's; cleaned as {@link #getArgument(String)}. */
    public List<String> getArguments(String name) {
        return values(Source.ALL, name);
    }

    /** Like {@link #getArgument(String)}, from the query string only. */
    public String getQueryArgument(String name) {
        return lastValue(Source.QUERY, name, null, true);
    }

    /** Like {@link #getArgument(String, String)}, from the query string only. */
    public String getQueryArgument(String name, String defaultValue) {
        return lastValue(Source.QUERY, name, defaultValue, false);
    }

    /** Like {@link #getArguments(String)}, from the query string only. */
    public List<String> getQueryArguments(String name) {
        return values(Source.QUERY, name);
    }

    /** Like {@link #getArgument(String)}, from the body only (form-urlencoded, or the fields of a multipart form). */
    public String getBodyArgument(String name) {
        return lastValue(Source.BODY, name, null, true);
    }

    /** Like {@link #getArgument(String, String)}, from a form-urlencoded body only. */
    public String getBodyArgument(String name, String defaultValue) {
        return lastValue(Source.BODY, name, defaultValue, false);
    }

    /** Like {@link #getArguments(String)}, from a form-urlencoded body only. */
    public List<String> getBodyArguments(String name) {
        return values(Source.BODY, name);
    }

    private enum Source { ALL, QUERY, BODY }

    private String lastValue(Source source, String name, String defaultValue, boolean required) {
        List<String> values = values(source, name);
        if (values.isEmpty()) {
            if (required) {
                throw new MissingArgumentError(name);
            }
            return defaultValue;
        }
        return values.getLast();
    }

    private List<String> values(Source source, String name) {
        List<String> raw = new ArrayList<>();
        if (source != Source.BODY) {
            raw.addAll(queryArguments().getOrDefault(name, List.of()));
        }
        if (source != Source.QUERY) {
            raw.addAll(bodyArguments().getOrDefault(name, List.of()));
        }
        return raw.stream().map(v -> CONTROL_CHARS.matcher(v).replaceAll(" ").strip()).toList();
    }

    private Map<String, List<String>> queryArguments() {
        if (queryArguments == null) {
            queryArguments = decodeStrictly(() -> HttpUtil.parseQueryString(request.query(), true), "query string");
        }
        return queryArguments;
    }

    private Map<String, List<String>> bodyArguments() {
        if (bodyArguments == null) {
            bodyArguments = form != null ? form.fields() : decodeStrictly(() -> HttpUtil.parseBodyArguments(
                    request.headers().get("Content-Type"), request.body(), true), "request body");
        }
        return bodyArguments;
    }

    /**
     * The files of a {@code multipart/form-data} body by field name (Tornado's {@code request.files}), in
     * order; empty for other bodies. The form's other fields are body arguments. Files above the
     * application's {@linkplain io.squall.web.multipart.MultipartOptions#fileThreshold() threshold} are in
     * temporary files, deleted when the request ends: {@link UploadedFile#moveTo} one to keep it. A
     * multipart body is parsed as it arrives and not kept: {@code request().body()} is then empty.
     */
    public Map<String, List<UploadedFile>> files() {
        return form != null ? form.files() : Map.of();
    }

    private static <T> T decodeStrictly(Supplier<T> decoder, String where) {
        try {
            return decoder.get();
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "Invalid unicode in " + where + ": " + e.getMessage(), null,
                    "Invalid unicode in " + where);
        }
    }

    private static List<String> decodePathArguments(List<String> raw) {
        if (raw.isEmpty()) {
            return List.of();
        }
        List<String> decoded = new ArrayList<>(raw.size());
        for (String arg : raw) {
            decoded.add(decodePathArgument(arg));
        }
        return Collections.unmodifiableList(decoded);
    }

    private static Map<String, String> decodePathArguments(Map<String, String> raw) {
        if (raw.isEmpty()) {
            return Map.of();
        }
        Map<String, String> decoded = new LinkedHashMap<>();
        raw.forEach((name, arg) -> decoded.put(name, decodePathArgument(arg)));
        return Collections.unmodifiableMap(decoded);
    }

    private static String decodePathArgument(String raw) {
        return raw == null ? null : decodeStrictly(() -> HttpUtil.urlDecode(raw, false), "path argument");
    }

    /**
     * The request body parsed as JSON into {@code type} with the application's
     * {@linkplain Application#objectMapper() mapper}.
     *
     * @throws HttpError (400) if the body is not JSON of that shape
     */
    public <T> T bodyAsJson(Class<T> type) {
        try {
            return application.objectMapper().readValue(request.body(), type);
        } catch (IOException e) {
            throw new HttpError(400, "Invalid JSON body: " + e.getMessage(), null, "Invalid JSON body");
        }
    }

    /** The request's cookies by name. */
    public Map<String, String> cookies() {
        return request.cookies();
    }

    /** The value of the request cookie {@code name}, or null. */
    public String getCookie(String name) {
        return request.cookies().get(name);
    }

    /** The value of the request cookie {@code name}, or {@code defaultValue}. */
    public String getCookie(String name, String defaultValue) {
        return request.cookies().getOrDefault(name, defaultValue);
    }

    // ------------------------------------------------------------------ response: status and headers

    /** Resets the status to 200, the headers to the defaults (then {@link #setDefaultHeaders()}) and drops the buffered body. */
    public void clear() {
        headers = DEFAULT_HEADERS.copy();
        setDefaultHeaders();
        writeBuffer.clear();
        bufferedBytes = 0;
        setStatus(200);
    }

    /** Sets the status with its standard reason phrase ("Unknown" for a code without one). */
    public void setStatus(int status) {
        setStatus(status, null);
    }

    /**
     * Sets the status and its reason phrase. A reason that cannot be sent as it is (with CR, LF, another
     * control character, a character beyond ISO-8859-1, or {@code <}) becomes "Unknown", as in Tornado 6.5.3.
     *
     * @param reason the reason phrase, or null for the standard one
     * @throws IllegalArgumentException if {@code status} does not have three digits
     */
    public void setStatus(int status, String reason) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status must have three digits: " + status);
        }
        this.status = status;
        this.reason = reason == null ? HttpUtil.reasonPhrase(status) : safeReason(reason);
    }

    private static String safeReason(String reason) {
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            boolean allowed = c == '\t' || c >= 0x20 && c <= 0x7E && c != '<' || c >= 0x80 && c <= 0xFF;
            if (!allowed) {
                return "Unknown";
            }
        }
        return reason;
    }

    /** The response status. */
    public int status() {
        return status;
    }

    /** The response's reason phrase. */
    public String reason() {
        return reason;
    }

    /**
     * Sets the response header {@code name}, replacing its values.
     *
     * @throws IllegalArgumentException "Unsafe header value" if {@code value} holds CR, LF or another control
     *     character but tab, or a character beyond ISO-8859-1; or if {@code name} is not a token
     */
    public void setHeader(String name, String value) {
        try {
            headers.set(name, value);
        } catch (IllegalArgumentException e) {
            throw unsafeHeader(value, e);
        }
    }

    /** Adds a value of the response header {@code name}; see {@link #setHeader}. */
    public void addHeader(String name, String value) {
        try {
            headers.add(name, value);
        } catch (IllegalArgumentException e) {
            throw unsafeHeader(value, e);
        }
    }

    /** Removes the response header {@code name}, if set. */
    public void clearHeader(String name) {
        headers.remove(name);
    }

    /**
     * Adds {@code field} to the response's {@code Vary} header (after the fields already there, once),
     * for a response that depends on that request header.
     */
    void addVary(String field) {
        String vary = headers.getJoined("Vary");
        if (vary == null || vary.isBlank()) {
            headers.set("Vary", field);
            return;
        }
        for (String present : vary.split(",")) {
            if (present.strip().equalsIgnoreCase(field) || present.strip().equals("*")) {
                return;
            }
        }
        headers.set("Vary", vary + ", " + field);
    }

    /** The first value of the response header {@code name}, or null. */
    public String getResponseHeader(String name) {
        return headers.get(name);
    }

    /** What to throw when {@link HttpHeaders} refused a header: "Unsafe header value" if the value is at fault. */
    private static IllegalArgumentException unsafeHeader(String value, IllegalArgumentException refusal) {
        try {
            HttpHeaders.validateValue(value);
        } catch (IllegalArgumentException e) {
            return new IllegalArgumentException("Unsafe header value \"" + value.replace("\r", "\\r").replace("\n", "\\n")
                    + "\": " + e.getMessage(), e);
        }
        return refusal; // the name is at fault
    }

    // ------------------------------------------------------------------ response: cookies

    /** Sets the cookie {@code name} with path {@code /}; see {@link #setCookie(String, String, CookieOptions)}. */
    public void setCookie(String name, String value) {
        setCookie(name, value, CookieOptions.DEFAULTS);
    }

    /**
     * Sets the cookie {@code name} (a {@code Set-Cookie} header, sent with the headers; setting the same name
     * again replaces it). A value with characters other than letters, digits and {@code !#$%&'*+-.^_`|~:} is
     * quoted as Python's {@code http.cookies} does.
     *
     * @throws IllegalArgumentException if the name or value holds spaces or control characters, if the name is
     *     not a token, or if an attribute holds spaces, control characters or {@code ;}
     */
    public void setCookie(String name, String value, CookieOptions options) {
        String header = Cookies.format(name, value, options);
        if (newCookies == null) {
            newCookies = new LinkedHashMap<>();
        }
        newCookies.remove(name);
        newCookies.put(name, header);
    }

    /** Deletes the cookie {@code name} at path {@code /} (sets it empty, expired a year ago). */
    public void clearCookie(String name) {
        clearCookie(name, CookieOptions.DEFAULTS);
    }

    /** Deletes the cookie {@code name} set with {@code options}' path and domain. */
    public void clearCookie(String name, CookieOptions options) {
        setCookie(name, "", options.toBuilder().expires(Instant.now().minus(Duration.ofDays(365))).maxAge(null).build());
    }

    /** Deletes every cookie the request sent (at path {@code /}). */
    public void clearAllCookies() {
        for (String name : request.cookies().keySet()) {
            clearCookie(name);
        }
    }

    // ------------------------------------------------------------------ signed cookies, XSRF, users

    /**
     * Sets a cookie whose value is signed with the application's {@linkplain Application.Builder#cookieSecret
     * cookie secret} (Tornado's {@code set_signed_cookie}), with {@link #SIGNED_COOKIE_OPTIONS}: the client
     * can read it but not forge or alter it. Read it back with {@link #getSignedCookie(String)}.
     *
     * @throws IllegalStateException if the application has no cookie secret
     */
    public void setSignedCookie(String name, String value) {
        setSignedCookie(name, value, SIGNED_COOKIE_OPTIONS);
    }

    /** {@link #setSignedCookie(String, String)} with the given attributes. */
    public void setSignedCookie(String name, String value, CookieOptions options) {
        setCookie(name, signer().create(name, value), options);
    }

    /**
     * The value of the signed cookie {@code name} if the request carries one that is valid and at most
     * {@link #SIGNED_COOKIE_MAX_AGE} old; null otherwise (absent, tampered with, signed by an unknown key,
     * expired, dated in the future or malformed: the reason is logged at debug level, never thrown).
     *
     * @throws IllegalStateException if the application has no cookie secret
     */
    public String getSignedCookie(String name) {
        return getSignedCookie(name, SIGNED_COOKIE_MAX_AGE);
    }

    /** {@link #getSignedCookie(String)} with a maximum age of {@code maxAge}. */
    public String getSignedCookie(String name, Duration maxAge) {
        return signer().decode(name, getCookie(name), maxAge);
    }

    private SignedValues signer() {
        SignedValues signer = application.cookieSigner();
        if (signer == null) {
            throw new IllegalStateException("signed cookies need Application.Builder.cookieSecret(...)");
        }
        return signer;
    }

    /**
     * This request's anti-forgery token, masked afresh (Tornado's {@code xsrf_token}): put it in forms as
     * {@link #xsrfFormHtml()} does, or send it in an {@code X-XSRFToken} header. Sets the {@code _xsrf}
     * cookie (with the application's {@linkplain Application.Builder#xsrfCookieOptions XSRF cookie options})
     * when the request has no valid one.
     */
    public String xsrfToken() {
        if (xsrfToken == null) {
            byte[] token = XsrfTokens.unmask(getCookie(XSRF_COOKIE));
            long now = Instant.now().getEpochSecond();
            if (token == null) {
                token = XsrfTokens.newToken();
                setCookie(XSRF_COOKIE, XsrfTokens.mask(token, now), application.xsrfCookieOptions());
            }
            xsrfToken = XsrfTokens.mask(token, now);
        }
        return xsrfToken;
    }

    /** {@code <input type="hidden" name="_xsrf" value="TOKEN"/>}, for every form that posts here. */
    public String xsrfFormHtml() {
        return "<input type=\"hidden\" name=\"" + XSRF_FIELD + "\" value=\"" + Escape.xhtmlEscape(xsrfToken()) + "\"/>";
    }

    /**
     * Checks the request's anti-forgery token (Tornado's {@code check_xsrf_cookie}); called before
     * {@link #prepare()} for every method but GET, HEAD and OPTIONS when the application has
     * {@linkplain Application.Builder#xsrfCookies XSRF protection} on. The token comes from the {@code _xsrf}
     * body argument, else the {@code X-XSRFToken} or {@code X-CSRFToken} header, and must carry the same
     * secret as the {@code _xsrf} cookie. Override it with an empty method to opt a handler out (an API
     * authenticated otherwise than by cookies, say).
     *
     * @throws HttpError 403 if the token or the cookie is missing, or they do not match
     */
    protected void checkXsrfCookie() {
        String submitted = getBodyArgument(XSRF_FIELD, null);
        if (submitted == null) {
            submitted = request.headers().get("X-Xsrftoken");
        }
        if (submitted == null) {
            submitted = request.headers().get("X-Csrftoken");
        }
        if (submitted == null) {
            throw new HttpError(403, "'" + XSRF_FIELD + "' argument missing from " + request.method());
        }
        String cookie = getCookie(XSRF_COOKIE);
        if (cookie == null) {
            throw new HttpError(403, "'" + XSRF_COOKIE + "' cookie missing from " + request.method());
        }
        if (!XsrfTokens.matches(submitted, cookie)) {
            throw new HttpError(403, "XSRF cookie does not match " + request.method() + " argument");
        }
    }

    /**
     * Who made the request (Tornado's {@code get_current_user}): override it, typically to read a signed
     * cookie; null (the default) means nobody is signed in. {@link #currentUser()} calls it at most once
     * per request.
     */
    protected Object getCurrentUser() throws Exception {
        return null;
    }

    /**
     * The signed-in user, or null: what {@link #setCurrentUser} set, else what {@link #getCurrentUser()}
     * returns, computed once per request. Methods marked {@link Authenticated} need it non-null.
     */
    public Object currentUser() {
        if (!currentUserKnown) {
            try {
                currentUser = getCurrentUser();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("getCurrentUser failed", e);
            }
            currentUserKnown = true;
        }
        return currentUser;
    }

    /** Sets the signed-in user for the rest of this request (from {@link #prepare()}, say). */
    public void setCurrentUser(Object user) {
        currentUser = user;
        currentUserKnown = true;
    }

    /** The application's {@linkplain Application.Builder#loginUrl login URL}, or null. */
    public String loginUrl() {
        return application.loginUrl();
    }

    /** Refuses a request that needs a user and has none: a GET or HEAD goes to the login URL, the rest get 403. */
    private void denyAnonymous(String method) {
        String login = loginUrl();
        if (login == null || !(method.equals("GET") || method.equals("HEAD"))) {
            throw new HttpError(403);
        }
        String next = URLEncoder.encode(request.uri(), StandardCharsets.UTF_8);
        redirect(login + (login.indexOf('?') >= 0 ? "&" : "?") + "next=" + next);
    }

    // ------------------------------------------------------------------ templates

    /**
     * Renders the template {@code name} with {@code model} and finishes the response with it (Tornado's
     * {@code render}). Besides the model, the template sees {@code handler}, {@code request},
     * {@code currentUser} and {@code settings}, and the functions {@code xsrfFormHtml()} and
     * {@code staticUrl(path)}.
     *
     * @throws TemplateError if the template cannot be found, compiled or rendered (a 500 unless caught)
     * @throws IllegalStateException if the application has no templates
     */
    public Future<Void> render(String name, Map<String, ?> model) {
        return finish(renderString(name, model));
    }

    /** Renders the template {@code name} with {@code model} to a string (Tornado's {@code render_string}). */
    public String renderString(String name, Map<String, ?> model) {
        Templates templates = application.templates();
        if (templates == null) {
            throw new IllegalStateException("rendering needs Application.Builder.templatePath(...) or templateResources(...)");
        }
        Map<String, Object> context = new HashMap<>();
        context.put(Templates.HANDLER, this);
        context.put("request", request);
        context.put("currentUser", currentUser());
        context.put("settings", application.settings());
        context.putAll(model);
        return templates.render(name, context);
    }

    // ------------------------------------------------------------------ response: body

    /** Buffers {@code chunk}, UTF-8 encoded. */
    public void write(String chunk) {
        append(chunk.getBytes(StandardCharsets.UTF_8));
    }

    /** Buffers a copy of {@code chunk}. */
    public void write(byte[] chunk) {
        append(chunk.clone());
    }

    /**
     * Buffers {@code chunk}: a String or byte array as {@link #write(String)} or {@link #write(byte[])}; anything
     * else (a Map, a record, a bean) as JSON through the application's mapper, with {@code </} escaped and
     * {@code Content-Type: application/json; charset=UTF-8}.
     *
     * @throws IllegalArgumentException if {@code chunk} is not written as a JSON object: like Tornado, a
     *     top-level JSON array (a List, an array) is refused, since old browsers let other sites read it
     */
    public void write(Object chunk) {
        switch (Objects.requireNonNull(chunk, "chunk")) {
            case String s -> write(s);
            case byte[] bytes -> write(bytes);
            default -> writeJson(chunk);
        }
    }

    private void writeJson(Object value) {
        checkNotFinished("write");
        String json = application.toJson(value);
        if (!json.startsWith("{")) {
            throw new IllegalArgumentException("write() accepts a String, a byte[] or an object written as a JSON object, not "
                    + value.getClass().getName() + (json.startsWith("[")
                    ? ": a top-level JSON array is refused for security reasons (wrap it in an object)" : ""));
        }
        setHeader("Content-Type", "application/json; charset=UTF-8");
        append(json.getBytes(StandardCharsets.UTF_8));
    }

    private void append(byte[] bytes) {
        checkNotFinished("write");
        writeBuffer.add(bytes);
        bufferedBytes += bytes.length;
    }

    private void checkNotFinished(String what) {
        if (finished) {
            throw new IllegalStateException("Cannot " + what + "() after finish()");
        }
    }

    /**
     * Sends the headers (the first time) and the buffered body. Await the future for flow control: it
     * completes when the bytes reached the kernel. Without a {@code Content-Length} header the response is
     * then chunked (HTTP/1.1) or ends with the connection (HTTP/1.0).
     *
     * @throws IllegalStateException after {@link #finish()}
     */
    public Future<Void> flush() {
        checkNotFinished("flush");
        return send(false);
    }

    /** Sends the headers if not yet sent, and the buffered body; {@code last} when {@link #finish()} sends. */
    private Future<Void> send(boolean last) {
        HttpConnection connection = request.connection();
        byte[] chunk = drainBuffer();
        boolean head = "HEAD".equals(request.method());
        if (!headersWritten) {
            for (Filter filter : application.filters()) {
                try {
                    filter.beforeResponse(this);
                } catch (RuntimeException e) {
                    APP_LOG.error("Exception in beforeResponse of filter {} for {}", filter, requestSummary(), e);
                }
            }
            if (application.compressResponse()) {
                chunk = startCompression(chunk, last);
            }
            if (newCookies != null) {
                newCookies.values().forEach(cookie -> headers.add("Set-Cookie", cookie));
            }
            Future<Void> sent = connection.writeHeaders(new ResponseStartLine("HTTP/1.1", status, reason), headers,
                    head ? NO_BYTES : ByteBuffer.wrap(chunk));
            headersWritten = true; // not if writeHeaders refused the head: an error page can still be sent
            return sent;
        }
        if (gzip != null) {
            chunk = gzip.encode(chunk, last);
        }
        return head ? Future.completed(null) : connection.write(ByteBuffer.wrap(chunk));
    }

    /**
     * For {@link Application.Builder#compressResponse}: adds {@code Vary: Accept-Encoding}, and if the
     * response qualifies (see {@link GzipResponse#qualifies}) starts the gzip coding with {@code chunk},
     * the first piece of the body: {@code Content-Encoding: gzip}, the length of the coded body if this is
     * all of it (none otherwise: the response is then chunked), a weak ETag (the coded body is another
     * representation, RFC 9110 §8.8.3). Returns what to send of {@code chunk}.
     */
    private byte[] startCompression(byte[] chunk, boolean last) {
        addVary("Accept-Encoding");
        if (!GzipResponse.qualifies(request.headers().getJoined("Accept-Encoding"), request.method(), status,
                headers.get("Content-Type"), headers.get("Content-Encoding"), !last, chunk.length)) {
            return chunk;
        }
        gzip = new GzipResponse();
        byte[] encoded = gzip.encode(chunk, last);
        headers.set("Content-Encoding", "gzip");
        if (last) {
            headers.set("Content-Length", Integer.toString(encoded.length));
            gzip = null;
        } else {
            headers.remove("Content-Length");
        }
        String etag = headers.get("Etag");
        if (etag != null && !etag.startsWith("W/")) {
            headers.set("Etag", "W/" + etag);
        }
        return encoded;
    }

    private byte[] drainBuffer() {
        if (writeBuffer.size() == 1) { // the usual single write: the part is already the handler's own copy
            byte[] only = writeBuffer.getFirst();
            writeBuffer.clear();
            bufferedBytes = 0;
            return only;
        }
        byte[] all = new byte[Math.toIntExact(bufferedBytes)];
        int at = 0;
        for (byte[] part : writeBuffer) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        writeBuffer.clear();
        bufferedBytes = 0;
        return all;
    }

    /** Writes {@code chunk} (see {@link #write(Object)}), then {@link #finish()}. */
    public Future<Void> finish(Object chunk) {
        write(chunk);
        return finish();
    }

    /**
     * Ends the response: sends what is buffered, with a {@code Content-Length} if nothing was flushed
     * before; 204, 304 and 1xx responses get no body and no representation headers; a 200 response to GET or
     * HEAD gets an {@code Etag}, and becomes a 304 if the request's {@code If-None-Match} matches it. Then logs
     * the request and runs {@link #onFinish()}. The future completes when the last bytes reached the kernel.
     *
     * @throws IllegalStateException if called twice, if a 204/304/1xx response has a body, or if the body
     *     written does not match a {@code Content-Length} header (the connection is then closed)
     */
    public Future<Void> finish() {
        checkNotFinished("finish");
        if (!headersWritten) {
            if (status == 200 && ("GET".equals(request.method()) || "HEAD".equals(request.method()))
                    && !headers.contains("Etag")) {
                setEtagHeader();
                if (checkEtagHeader()) {
                    writeBuffer.clear();
                    bufferedBytes = 0;
                    setStatus(304);
                }
            }
            if (status == 204 || status == 304 || status < 200) {
                if (bufferedBytes > 0) {
                    throw new IllegalStateException("Cannot send body with " + status);
                }
                clearHeader("Content-Encoding");
                clearHeader("Content-Language");
                clearHeader("Content-Type");
            } else if (!headers.contains("Content-Length")) {
                headers.add("Content-Length", Long.toString(bufferedBytes));
            }
        }
        HttpConnection connection = request.connection();
        try {
            Future<Void> sent = send(true);
            Throwable error = sent.isDone() ? sent.exception() : null;
            if (error != null && !(error instanceof StreamClosedError)) {
                throw Future.rethrowable(error); // e.g. more bytes than Content-Length
            }
        } catch (RuntimeException e) {
            if (!connection.responseStarted()) {
                throw e; // nothing went out: the caller's error handling can still answer 500
            }
            // The head is out and the body cannot follow as promised: only a close tells the client.
            responseCutOff = true;
            finished = true;
            connection.close();
            try {
                throw e;
            } finally {
                ended();
            }
        }
        finished = true;
        try {
            return connection.finish();
        } catch (RuntimeException e) {
            responseCutOff = true; // fewer bytes than Content-Length: the connection closed itself
            throw e;
        } finally {
            ended();
        }
    }

    /** The request is over: the access log line, {@link #onFinish()}, then each filter's after hook. */
    private void ended() {
        application.logRequest(this);
        runHook(this::onFinish, "onFinish");
        for (Filter filter : application.filters()) {
            runHook(() -> filter.after(this), "the after hook of filter " + filter);
        }
    }

    /** Whether the response ended with the connection before it was complete (see {@link #finish()}). */
    boolean responseCutOff() {
        return responseCutOff;
    }

    /**
     * Takes the connection's stream away from HTTP, for a protocol tunnelled over an HTTP handshake
     * (Tornado's {@code detach}; the WebSocket handler uses it): the response counts as finished (it is
     * logged and {@link #onFinish()} runs), and the server stops reading and writing the stream and will
     * not close it: the caller owns it. {@link #flush()} the handshake's response first. After
     * {@link #onFinish()} the handler lets go of the response it sent (a WebSocket handler lives as long
     * as its connection): {@link #getResponseHeader} answers null from then on. The request stays.
     *
     * @throws IllegalStateException after {@link #finish()}
     */
    public IOStream detach() {
        checkNotFinished("detach");
        finished = true;
        IOStream stream = request.connection().detach();
        try {
            return stream;
        } finally {
            application.logRequest(this);
            runHook(this::onFinish, "onFinish");
            headers = new HttpHeaders();
        }
    }

    /** Whether {@link #finish()} was called. */
    public boolean isFinished() {
        return finished;
    }

    /**
     * Answers with a redirect to {@code url} (302) and finishes.
     *
     * @throws IllegalStateException if the headers were already sent
     */
    public void redirect(String url) {
        redirect(url, 302);
    }

    /** Answers with a redirect to {@code url}, 301 if {@code permanent} else 302, and finishes. */
    public void redirect(String url, boolean permanent) {
        redirect(url, permanent ? 301 : 302);
    }

    /**
     * Answers with a redirect to {@code url} with {@code status} (3xx) and finishes. Characters beyond ASCII
     * in {@code url} are percent-encoded as UTF-8.
     *
     * @throws IllegalArgumentException if {@code status} is not a 3xx code
     * @throws IllegalStateException if the headers were already sent
     */
    public void redirect(String url, int status) {
        if (headersWritten) {
            throw new IllegalStateException("Cannot redirect after headers have been written");
        }
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("a redirect needs a 3xx status, not " + status);
        }
        setStatus(status);
        setHeader("Location", asciiUrl(url));
        finish();
    }

    private static String asciiUrl(String url) {
        StringBuilder out = new StringBuilder(url.length());
        url.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.append((char) cp);
            } else {
                out.append(Escape.urlEscape(Character.toString(cp), false));
            }
        });
        return out.toString();
    }

    // ------------------------------------------------------------------ ETag

    /**
     * The entity tag of the response: by default the quoted hex SHA-1 of the buffered body; null for none.
     */
    protected String computeEtag() {
        return Sha1.quotedHexDigest(writeBuffer);
    }

    /**
     * SHA-1 digests: each loop has one of its own, which its code shares (it never runs two pieces at once,
     * and a digest resets itself once done); elsewhere a clone of one prototype, which is much cheaper than
     * a provider lookup.
     */
    private static final class Sha1 {
        private static final MessageDigest PROTOTYPE;
        private static final int LENGTH = 20;
        private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

        static {
            try {
                PROTOTYPE = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final MessageDigest digest = newDigest();
        private final byte[] hash = new byte[LENGTH];
        private final byte[] quotedHex = new byte[2 * LENGTH + 2];

        /** {@code "<hex SHA-1 of the parts>"}. */
        static String quotedHexDigest(List<byte[]> parts) {
            IOLoop loop = IOLoop.currentOrNull();
            Sha1 sha1 = loop != null && loop.inLoop() ? loop.loopLocal(Sha1.class, l -> new Sha1()) : new Sha1();
            for (byte[] part : parts) {
                sha1.digest.update(part);
            }
            try {
                sha1.digest.digest(sha1.hash, 0, LENGTH);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-1 is " + LENGTH + " bytes long", e);
            }
            byte[] out = sha1.quotedHex;
            out[0] = '"';
            for (int i = 0; i < LENGTH; i++) {
                out[1 + 2 * i] = HEX_DIGITS[(sha1.hash[i] >> 4) & 0xF];
                out[2 + 2 * i] = HEX_DIGITS[sha1.hash[i] & 0xF];
            }
            out[out.length - 1] = '"';
            return new String(out, StandardCharsets.ISO_8859_1);
        }

        private static MessageDigest newDigest() {
            try {
                return (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the SHA-1 digest cannot be cloned", e);
            }
        }
    }

    /** Sets the {@code Etag} header to {@link #computeEtag()}, if that is not null. */
    public void setEtagHeader() {
        String etag = computeEtag();
        if (etag != null) {
            setHeader("Etag", etag);
        }
    }

    /**
     * Whether the request's {@code If-None-Match} matches the response's {@code Etag}: {@code *}, or one of
     * its tags compared weakly ({@code W/} ignored).
     */
    public boolean checkEtagHeader() {
        String ifNoneMatch = request.headers().getJoined("If-None-Match");
        if (ifNoneMatch == null) {
            return false;
        }
        String computed = headers.get("Etag");
        if (computed == null || computed.isEmpty()) {
            return false;
        }
        Matcher m = ENTITY_TAGS.matcher(ifNoneMatch);
        boolean first = true;
        while (m.find()) {
            String tag = m.group();
            if (first && tag.equals("*") || weak(tag).equals(weak(computed))) {
                return true;
            }
            first = false;
        }
        return false;
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    // ------------------------------------------------------------------ errors

    /** {@link #sendError(int, Throwable)} without an exception. */
    public void sendError(int status) {
        sendError(status, null);
    }

    /**
     * Answers with an error page: drops the headers and body written so far, sets {@code status} (with the
     * reason of {@code exception} if it is an {@link HttpError} that has one), calls {@link #writeError} and
     * finishes. If the headers were already sent, it can only log the error and end the response.
     *
     * @param exception what caused the error, or null
     */
    public void sendError(int status, Throwable exception) {
        if (headersWritten) {
            GEN_LOG.error("Cannot send error response after headers written");
            if (!finished) {
                try {
                    finish();
                } catch (RuntimeException e) {
                    GEN_LOG.error("Failed to flush partial response", e);
                }
            }
            return;
        }
        clear();
        setStatus(status, exception instanceof HttpError httpError ? httpError.reason() : null);
        if (status == 405) {
            setHeader("Allow", String.join(", ", allowedMethods()));
        }
        try {
            writeError(status, exception);
        } catch (Exception e) {
            APP_LOG.error("Uncaught exception in writeError", e);
        }
        if (!finished) {
            finish();
        }
    }

    /**
     * Writes the error page (Tornado's {@code write_error}). By default: with
     * {@link Application.Builder#serveTraceback}, the exception's stack trace as text; as JSON,
     * {@code {"status": CODE, "error": MESSAGE}}, if the application has {@link Application.Builder#jsonErrors}
     * or the request prefers {@code application/json} to {@code text/html} ({@code Accept}); otherwise
     * {@code <html><title>CODE: REASON</title><body>CODE: REASON</body></html>} (HTML-escaped). MESSAGE is
     * the {@link HttpError#clientMessage()} of the exception, or the reason phrase; an HTML page shows the
     * client message in a paragraph of its own. Override it for custom pages (or give the application an
     * {@linkplain Application.Builder#exceptionMapper exception mapper}); the status is already set, and
     * {@link #finish()} is called afterwards if needed.
     *
     * @param exception what caused the error, or null
     */
    protected void writeError(int status, Throwable exception) throws Exception {
        ExceptionMapper<Throwable> mapper = exception == null ? null : application.exceptionMapper(exception);
        if (mapper != null) {
            mapper.writeResponse(this, exception);
            return;
        }
        String clientMessage = exception instanceof HttpError httpError ? httpError.clientMessage() : null;
        if (application.serveTraceback() && exception != null) {
            setHeader("Content-Type", "text/plain; charset=UTF-8");
            StringWriter trace = new StringWriter();
            exception.printStackTrace(new PrintWriter(trace));
            finish(trace.toString());
        } else if (application.jsonErrors() || prefersJson()) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("status", status);
            error.put("error", clientMessage != null ? clientMessage : reason);
            finish(error);
        } else {
            String message = status + ": " + Escape.xhtmlEscape(reason);
            finish("<html><title>" + message + "</title><body>" + message
                    + (clientMessage == null ? "" : "<p>" + Escape.xhtmlEscape(clientMessage) + "</p>")
                    + "</body></html>");
        }
    }

    /** Whether the request's {@code Accept} ranks {@code application/json} above {@code text/html}. */
    private boolean prefersJson() {
        String accept = request.headers().getJoined("Accept");
        return accept != null && Negotiation.mediaTypeQuality(accept, "application/json")
                > Negotiation.mediaTypeQuality(accept, "text/html");
    }

    /**
     * Logs an exception that ended the request (Tornado's {@code log_exception}): an {@link HttpError} is not
     * a bug and gets no line of its own: its log message, if any, becomes the {@link #logMessage()} that the
     * access log line ends with; a {@link TemplateError} is logged as an error whose line names the template
     * and line; anything else as an error with its stack trace to {@code io.squall.web.application}.
     */
    protected void logException(Throwable exception) {
        if (exception instanceof HttpError httpError) {
            logMessage = httpError.logMessage();
        } else if (exception instanceof TemplateError) {
            APP_LOG.error("{} while serving {}", exception.getMessage(), requestSummary(), exception);
        } else {
            APP_LOG.error("Uncaught exception {}\n{}", requestSummary(), request, exception);
        }
    }

    /**
     * What the access log adds about this request: the log message of the {@link HttpError} that ended it,
     * or null.
     */
    public String logMessage() {
        return logMessage;
    }

    private void handleRequestException(Exception e) {
        if (e instanceof Finish f) {
            if (!finished) {
                if (f.chunk() != null) {
                    finish(f.chunk());
                } else {
                    finish();
                }
            }
            return;
        }
        boolean mapped = !finished && !(e instanceof HttpError) && application.exceptionMapper(e) != null;
        if (!mapped) {
            logExceptionSafely(e);
            if (!finished) {
                sendError(e instanceof HttpError httpError ? httpError.status() : 500, e);
            }
            return;
        }
        logMessage = CONTROL_CHARS.matcher(e.toString().replace('\n', ' ').replace('\r', ' ')).replaceAll(" ");
        sendError(500, e);
        if (status >= 500) {
            logExceptionSafely(e);
        }
    }

    private void logExceptionSafely(Exception e) {
        try {
            logException(e);
        } catch (RuntimeException loggingFailure) {
            APP_LOG.error("Error in exception logger", loggingFailure);
            APP_LOG.error("Uncaught exception {}", requestSummary(), e);
        }
    }

    /** {@code METHOD URI (IP)}, how the logs name this request. */
    protected String requestSummary() {
        return request.method() + " " + request.uri() + " (" + request.remoteIp() + ")";
    }

    @Override
    public String toString() {
        return getClass().getName() + "[" + (request == null ? "unbound" : requestSummary()) + "]";
    }
}
