/** Squall's WebSocket server handler and client (RFC 6455), with permessage-deflate (RFC 7692). */
module io.squall.websocket {
    requires transitive squall;
    requires transitive squall.web;
    requires transitive squall.httpclient;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.squall.websocket;
}
