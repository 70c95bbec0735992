package io.squall.httpclient;

import java.time.Duration;

/**
 * Where the time of a fetch went (Tornado's {@code time_info}), measured on the loop's clock. With
 * redirects, connect and TLS add up over the hops and first byte is that of the final response.
 *
 * @param queue waiting for a client slot
 * @param connect resolving and connecting (and the proxy tunnel); zero when a pooled connection was reused
 * @param tlsHandshake the TLS handshake; zero for http or a reused connection
 * @param firstByte from the call to {@code fetch} to the first byte of the final response
 * @param total from the call to {@code fetch} to the end of the response
 * @param reusedConnection whether the final response came over a pooled keep-alive connection
 */
public record FetchTiming(Duration queue, Duration connect, Duration tlsHandshake, Duration firstByte,
                          Duration total, boolean reusedConnection) {}
