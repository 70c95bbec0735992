package io.squall.examples;

import static io.squall.gen.Coroutines.await;

import io.squall.gen.Coroutines;
import io.squall.httpclient.AsyncHttpClient;
import io.squall.httpclient.HttpResponse;
import io.squall.ioloop.IOLoop;
import io.squall.web.Application;
import io.squall.web.RequestHandler;
import java.nio.charset.StandardCharsets;

/**
 * A small application that proves Squall works as named modules: it serves one JSON request (a record
 * Jackson writes by reflection, which the module opens to it) on a loop, fetches it with
 * {@link AsyncHttpClient}, and prints what a caller checks, one {@code key=value} per line: the coroutine
 * mode, the module Squall's core was loaded in, and the response's status and body.
 *
 * <p>{@code java --module-path ... --add-opens java.base/java.lang=io.squall.core
 * -m io.squall.examples/io.squall.examples.ModulePathCheck}
 */
public final class ModulePathCheck {
    /** The JSON body the application answers with. */
    public record Greeting(String hello, int count) {}

    private ModulePathCheck() {}

    /** Serves and fetches one request, prints the results, and exits. */
    public static void main(String[] args) {
        try (IOLoop loop = new IOLoop();
             Application app = Application.builder().route("/greeting", GreetingHandler::new).build()) {
            String body = loop.runSync(() -> {
                int port = app.listen(0, "127.0.0.1");
                HttpResponse response = await(AsyncHttpClient.current().fetch("http://127.0.0.1:" + port + "/greeting"));
                System.out.println("status=" + response.code());
                return new String(response.body(), StandardCharsets.UTF_8);
            });
            System.out.println("body=" + body);
            System.out.println("mode=" + Coroutines.mode());
            System.out.println("module=" + IOLoop.class.getModule().getName());
        }
    }

    /** Answers with a {@link Greeting}. */
    private static final class GreetingHandler extends RequestHandler {
        @Override
        protected void get() {
            write(new Greeting("modules", 1));
        }
    }
}
