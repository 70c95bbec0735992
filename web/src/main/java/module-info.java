/**
 * Squall's web framework: {@code Application}, routing and {@code RequestHandler} over the HTTP server
 * of {@code io.squall.core}, with JSON through Jackson and templates through Pebble; signed cookies, XSRF
 * tokens and {@code @Authenticated} in {@code io.squall.web.security}.
 *
 * <p>Jackson turns handler results into JSON and request bodies into objects by reflection. An
 * application on the module path lets it in: {@code opens com.example.api to com.fasterxml.jackson.databind}
 * for the packages of the classes it writes or reads (records and beans alike), or {@code exports} them if
 * their accessors and constructors are public.
 */
module io.squall.web {
    requires transitive io.squall.core;
    requires transitive com.fasterxml.jackson.databind;
    requires io.pebbletemplates;

    exports io.squall.web;
    exports io.squall.web.security;
    exports io.squall.web.multipart;
}
