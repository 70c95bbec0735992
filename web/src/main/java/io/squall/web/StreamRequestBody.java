package io.squall.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link RequestHandler} that receives its request body as it arrives (Tornado's
 * {@code @stream_request_body}) instead of after the whole of it was read into memory.
 *
 * <p>The lifecycle of such a handler begins as soon as the request head is read: {@code initialize()},
 * the 405 check and {@code prepare()}, which may raise this request's limits through
 * {@code request().connection().setMaxBodySize(...)} and {@code setBodyTimeout(...)} (they apply from
 * then on); then {@link RequestHandler#dataReceived} for each piece of the body, in order; then the
 * method ({@code post()}, {@code put()}...). Every step runs in the connection's coroutine and may
 * {@code await}: while one does, the connection reads nothing more, so the client is throttled to the
 * handler's pace (TCP flow control). {@code request().body()} stays empty. A response finished before
 * the end of the body (a 401 from {@code prepare()}, an error from {@code dataReceived}) ends the
 * request: the rest of the body is not read, and the connection closes once the response is out. A
 * client that leaves mid-upload reaches {@link RequestHandler#onConnectionClose()}.
 *
 * <pre>{@code
 * @StreamRequestBody
 * class UploadHandler extends RequestHandler {
 *     private FileChannel out;
 *
 *     @Override
 *     protected void prepare() throws IOException {
 *         request().connection().setMaxBodySize(10L << 30);     // 10 GiB for this request
 *         out = FileChannel.open(target, CREATE, WRITE);          // (small blocking call: or runInExecutor)
 *     }
 *
 *     @Override
 *     protected void dataReceived(ByteBuffer chunk) {
 *         await(IOLoop.current().runInExecutor(null, () -> out.write(chunk)));   // the client waits meanwhile
 *     }
 *
 *     @Override
 *     protected void put() {
 *         write("stored");
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StreamRequestBody {}
