/**
 * The demo and example programs behind {@code ./squall}, and {@code ModulePathCheck}, which shows Squall
 * running as modules.
 */
module io.squall.examples {
    requires io.squall.web;
    requires io.squall.httpclient;
    requires io.squall.websocket;

    // Jackson writes the examples' records as JSON by reflection.
    opens io.squall.examples to com.fasterxml.jackson.databind;
}
