/**
 * {@code multipart/form-data} request bodies (RFC 7578): {@link io.squall.web.multipart.MultipartParser}, a
 * bounded, linear-time push parser of untrusted bytes; {@link io.squall.web.multipart.MultipartForm}, which
 * collects fields and {@link io.squall.web.multipart.UploadedFile}s (large ones in temporary files) as the
 * body arrives; {@link io.squall.web.multipart.MultipartOptions}, the limits. A
 * {@link io.squall.web.RequestHandler} sees the result through {@code files()} and its body arguments.
 */
package io.squall.web.multipart;
