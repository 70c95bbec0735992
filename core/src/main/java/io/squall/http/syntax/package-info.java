/**
 * Internal: the character classes and lexical helpers of HTTP/1.1 (RFC 9110 §5, RFC 9112) that the
 * public header type, the parser and the server share: token and field-value bytes, whitespace
 * trimming, ASCII case folding, list-token search, ports. It depends on nothing, so that both
 * {@code io.squall.http} and the wire format in {@code io.squall.http1} can use it. Not exported from
 * the {@code io.squall.core} module.
 */
package io.squall.http.syntax;
