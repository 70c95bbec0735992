/**
 * Squall-internal access to {@link io.squall.http} types for the HTTP/1 wire format and the server: not
 * exported from {@code io.squall.core}.
 */
package io.squall.http.internal;
