package io.squall.web;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.squall.testing.AsyncTestCase;
import io.squall.testing.ExternalTools;
import io.squall.testing.LogCapture;
import io.squall.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the web tests (Tornado's {@code AsyncHTTPTestCase}): serves an {@link Application} on 127.0.0.1
 * from the test's loop through the testing kit's {@link TestServer}, fetches from it with the JDK's HTTP
 * client or a raw socket (both run on executor threads and awaited, so the loop keeps serving while they
 * block), and fails a test in which the framework logged an ERROR unless it {@link #expectErrors declared}
 * it.
 */
abstract class WebTestCase extends AsyncTestCase {
    protected Application app;
    protected int port;
    /** The served application, with the clients pointed at it. */
    protected TestServer server;
    /** Everything Squall logs during the test (kept off the console). */
    protected final LogCapture logs = LogCapture.start();
    private boolean errorsExpected;

    /** Serves {@code application} with its own server options; call it inside {@link #run}. */
    protected void serve(Application application) {
        app = application;
        server = TestServer.listening(application.listen(0, "127.0.0.1"), application);
        port = server.port();
    }

    /** Serves an application with just {@code handler} at {@code /}; call it inside {@link #run}. */
    protected void serve(Supplier<? extends RequestHandler> handler) {
        serve(Application.builder().route("/", handler).build());
    }

    /** Declares that the test makes the framework log errors; otherwise any ERROR fails the test. */
    protected void expectErrors() {
        errorsExpected = true;
    }

    @AfterEach
    void stopServing() {
        try {
            if (server != null) {
                loop.runSync(() -> {
                    server.close();
                    await(moment()); // lets the connections close on the loop
                    return null;
                }, TEST_TIMEOUT);
            }
            if (!errorsExpected) {
                assertEquals(List.of(), logs.errorsExceptAccessLog(), "unexpected errors logged");
            }
        } finally {
            logs.close();
        }
    }

    /** The absolute URI of {@code path} on the server. */
    protected URI uri(String path) {
        return server.url(path);
    }

    /** A request builder for {@code path}. */
    protected HttpRequest.Builder request(String path) {
        return server.request(path);
    }

    /** GETs {@code path}. */
    protected HttpResponse<String> fetch(String path) {
        return server.fetch(path);
    }

    /** Sends {@code method} to {@code path} with {@code body} (null: none). */
    protected HttpResponse<String> fetch(String method, String path, String body) {
        return server.fetch(request(path).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs a form-urlencoded {@code body} to {@code path}. */
    protected HttpResponse<String> postForm(String path, String body) {
        return server.fetch(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Sends {@code request} and awaits the response. */
    protected HttpResponse<String> send(HttpRequest request) {
        return server.fetch(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Runs {@code command} on an executor thread and returns what it printed (stdout and stderr); fails the
     * test if it exits with a status other than 0.
     */
    protected String runTool(List<String> command) {
        return await(loop.runInExecutor(null, () -> {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(TEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS), command.getFirst() + " did not finish");
            assertEquals(0, process.exitValue(), output);
            return output;
        }));
    }

    /** Runs curl (installed if missing, else the test is skipped) silently with {@code args}; returns its output. */
    protected String curlOutput(String... args) {
        List<String> command = new ArrayList<>(List.of(ExternalTools.requireCommand("curl", "curl"),
                "--silent", "--show-error", "--max-time", "10"));
        command.addAll(List.of(args));
        return runTool(command);
    }

    /**
     * Debian's python3 once it has the {@code requests} module (installed if missing, else the test is
     * skipped); call it before {@link #run}, since the check starts Python.
     */
    protected static String requirePythonRequests() {
        return ExternalTools.requirePythonModule("requests", "python3-requests");
    }

    /**
     * Runs the Python {@code script} with {@code python} (see {@link #requirePythonRequests()}), with
     * {@code args} as {@code sys.argv[1:]}; returns its output.
     */
    protected String runPython(String python, String script, String... args) {
        List<String> command = new ArrayList<>(List.of(python, "-c", script));
        command.addAll(List.of(args));
        return runTool(command);
    }

    /**
     * Writes {@code head} (ISO-8859-1, {@code \n} turned into CRLF, the empty line added) on a new connection
     * and returns everything the server sends until it closes the connection: send {@code Connection: close}
     * or HTTP/1.0.
     */
    protected String raw(String head) {
        return rawUntil(head, null);
    }

    /**
     * Like {@link #raw(String)}, but stops reading (and closes) once what was read ends with {@code end}, for
     * responses on a connection the server keeps open; null reads until the server closes.
     */
    protected String rawUntil(String head, String end) {
        byte[] bytes = (head.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return await(loop.runInExecutor(null, () -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout((int) TEST_TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(bytes);
                out.flush();
                InputStream in = socket.getInputStream();
                StringBuilder received = new StringBuilder();
                int b;
                while ((end == null || !received.toString().endsWith(end)) && (b = in.read()) >= 0) {
                    received.append((char) b);
                }
                return received.toString();
            }
        }));
    }
}
