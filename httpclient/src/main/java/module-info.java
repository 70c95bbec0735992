/**
 * Squall's asynchronous HTTP/1.1 client: {@code AsyncHttpClient} and {@code BlockingHttpClient}, with
 * {@code HttpResponse.json} through Jackson.
 *
 * <p>Reading a response into an application's classes ({@code HttpResponse.json(Class)}) makes Jackson
 * reflect on them: on the module path, open their package to it
 * ({@code opens com.example.api to com.fasterxml.jackson.databind}).
 */
module io.squall.httpclient {
    requires transitive io.squall.core;
    requires transitive com.fasterxml.jackson.databind;

    exports io.squall.httpclient;
}
