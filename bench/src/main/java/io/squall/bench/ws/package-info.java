/**
 * The WebSocket echo benchmark: Squall's and Netty's WebSocket echo servers (Node's {@code ws} peer is
 * {@code bench/peers/ws_server.js}) and {@link io.squall.bench.ws.WebSocketLoad}, the load generator and
 * idle-connection holder that drives any of them (run by {@code bench/scripts/ws.sh}).
 */
package io.squall.bench.ws;
