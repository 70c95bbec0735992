/**
 * Squall's WebSocket (RFC 6455) server handler and client, with permessage-deflate (RFC 7692): the
 * server side is a {@code RequestHandler} of {@code io.squall.web}, the client's handshake goes through
 * {@code io.squall.httpclient}.
 */
module io.squall.websocket {
    requires transitive io.squall.web;
    requires transitive io.squall.httpclient;

    exports io.squall.websocket;
}
