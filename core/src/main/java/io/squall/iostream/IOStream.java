package io.squall.iostream;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a non-blocking {@link SocketChannel} (TCP or Unix-domain) with futures: Tornado's
 * {@code IOStream}.
 *
 * <pre>{@code
 * IOStream stream = new IOStream(SocketChannel.open());
 * await(stream.connect(new InetSocketAddress("example.com", 80)));
 * await(stream.write("GET / HTTP/1.0\r\nHost: example.com\r\n\r\n".getBytes(US_ASCII)));
 * byte[] headers = await(stream.readUntil("\r\n\r\n".getBytes(US_ASCII), 65536));
 * }</pre>
 *
 * <p><b>Loop confinement.</b> A stream belongs to one {@link IOLoop}; call its methods only from that
 * loop's callbacks and coroutines, or while the loop is not running (with assertions on, its reads,
 * writes and close check {@link IOLoop#inLoopOrNotRunning()}). It registers its channel with {@link IOLoop#addHandler} when it
 * first has something to wait for, keeps the interest set to exactly what it can use now (none while
 * idle and full, or waiting for {@link #connect}), and removes the handler when it closes.
 *
 * <p><b>Reads.</b> At most one read is pending at a time; starting another throws
 * {@link IllegalStateException} ("Already reading"). A read completes from the stream's buffer when it
 * can, reading the socket only for what is missing. Reads return fresh arrays; the stream never hands
 * out its own storage.
 *
 * <p><b>Writes.</b> {@link #write} queues the caller's bytes <em>without copying them</em>: do not change
 * them until the returned future completes, which happens once the kernel (for TLS: the TLS engine and
 * then the kernel) has taken them. Writes issued before {@link #connect} completes go out after it.
 * The queue is bounded by {@link IOStreamOptions#maxWriteBufferSize()}: a write that would take the
 * bytes not yet taken by the kernel past it fails with {@link StreamBufferFullError}, queues nothing,
 * and leaves the stream open. Await your writes (or watch {@link #writing()}) to stay under it.
 *
 * <p><b>Buffer limits and back-pressure.</b> While no read is pending, the stream reads ahead at most
 * one chunk ({@link IOStreamOptions#effectiveReadChunkSize()}), enough to notice that the peer closed,
 * and then stops reading the socket so that the peer's writes block. A pending read that needs more
 * than {@link IOStreamOptions#maxBufferSize()} bytes closes the stream with a
 * {@link StreamBufferFullError}; a {@link #readUntil} or {@link #readUntilRegex} whose match does not
 * end within its {@code maxBytes} closes it with an {@link UnsatisfiableReadError}. The stream never
 * holds more than {@code maxBufferSize} bytes for its reader.
 *
 * <p><b>Closing.</b> Bytes received before the peer closed stay readable: a read pending at the close,
 * or started after it, completes from them if it can, and {@link #readUntilClose()} returns all of them.
 * Otherwise reads, writes and {@link #connect} fail with {@link StreamClosedError}, whose cause is the
 * real reason (see {@link #error()}). The close callback runs on the loop after the pending operations
 * have failed. Resets and broken pipes are logged at debug level only.
 */
public class IOStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IOStream.class);

    /** The channel, non-blocking. */
    final SocketChannel channel;
    private final IOLoop loop;
    private final IOStreamOptions options;
    private final int readChunkSize;
    private final ByteBuffer loopReadBuffer;
    private final ReadBuffer readBuffer;
    private final WriteQueue writeQueue = new WriteQueue();
    /** Sized for the one or two writes a stream mostly has pending (an idle connection keeps it), grown by bursts. */
    private final ArrayDeque<WriteWaiter> writeWaiters = new ArrayDeque<>(2);

    private ReadRequest<?> pendingRead;
    /** Bytes ever passed to {@link #write} and ever taken by the transport: a write is done when its end is taken. */
    private long writeIndex;
    private long writtenIndex;
    /** Whether the write queue holds bytes of {@link #writeLater} that no write or flush has tried to send. */
    private boolean writeHeld;

    private Future<IOStream> connectFuture;
    private boolean connecting;
    private boolean connected;
    private SocketAddress remoteAddress;

    private boolean registered;
    private int registeredEvents;
    private boolean closed;
    private boolean closedByPeer;
    /** Whether {@link #shutdownOutput()} ended the write side. */
    private boolean outputShut;
    private boolean detached;
    private Throwable error;
    private Runnable closeCallback;
    /** Run once when the channel closes (see {@link #setReleaseCallback}). */
    private Runnable releaseCallback;

    /** A stream on {@code channel} for the {@linkplain IOLoop#current() current loop}, with default options. */
    public IOStream(SocketChannel channel) {
        this(channel, IOLoop.current(), IOStreamOptions.DEFAULTS);
    }

    /**
     * A stream on {@code channel}, which must be open and either connected (e.g. accepted) or not yet
     * connected (then call {@link #connect}); it is switched to non-blocking mode.
     *
     * @throws IllegalArgumentException if the channel has a connection attempt of its own pending
     */
    public IOStream(SocketChannel channel, IOLoop loop, IOStreamOptions options) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.options = Objects.requireNonNull(options, "options");
        if (channel.isConnectionPending()) {
            throw new IllegalArgumentException("channel is already connecting; pass an unconnected channel to connect()");
        }
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the channel non-blocking", e);
        }
        this.readChunkSize = options.effectiveReadChunkSize();
        this.loopReadBuffer = LoopReadBuffers.forLoop(loop, readChunkSize);
        this.readBuffer = new ReadBuffer();
        this.connected = channel.isConnected();
        if (connected) {
            remoteAddress = remoteAddressOf(channel);
        }
    }

    // ------------------------------------------------------------------ connecting

    /**
     * Connects the channel to {@code address} without blocking; the future completes with this stream
     * once connected (for an {@link SslIOStream}, once the TLS handshake is done too). A refused
     * connection fails it with a {@link StreamClosedError} whose cause is the
     * {@link java.net.ConnectException}. There is no timeout here: connect timeouts belong to the TCP
     * client, which closes the stream when its deadline passes.
     *
     * @throws IllegalStateException if the stream is already connected or connecting
     */
    public Future<IOStream> connect(SocketAddress address) {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.connect");
        Objects.requireNonNull(address, "address");
        if (connectFuture != null || connected) {
            throw new IllegalStateException("stream is already " + (connected ? "connected" : "connecting"));
        }
        connectFuture = new Future<>();
        if (closed) {
            connectFuture.setException(closedError());
            return connectFuture;
        }
        connecting = true;
        try {
            if (channel.connect(address)) {
                onConnected();
                proceed(IOLoop.READ | IOLoop.WRITE);
            }
        } catch (IOException e) {
            fail(e);
        } catch (UnresolvedAddressException | UnsupportedAddressTypeException e) {
            fail(new IOException("cannot connect to " + address + ": " + e, e));
        }
        updateInterest();
        return connectFuture;
    }

    private void onConnected() throws IOException {
        connecting = false;
        connected = true;
        remoteAddress = remoteAddressOf(channel);
        registeredEvents = -1; // the key still asks for OP_CONNECT: make the next update rewrite it
        transportConnected();
        connectFuture.trySetResult(this);
    }

    private static SocketAddress remoteAddressOf(SocketChannel channel) {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads {@code n} bytes; with {@code partial}, completes as soon as at least one byte is available,
     * with at most {@code n} bytes. {@code readBytes(0, ...)} completes at once with an empty array.
     */
    public Future<byte[]> readBytes(int n, boolean partial) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        return startRead(new ReadRequest.Bytes(n, partial));
    }

    /** Reads exactly {@code n} bytes; same as {@code readBytes(n, false)}. */
    public Future<byte[]> readBytes(int n) {
        return readBytes(n, false);
    }

    /**
     * Reads up to and including {@code delimiter}. If the delimiter does not end within
     * {@code maxBytes} bytes (the limit includes the delimiter), the stream closes with an
     * {@link UnsatisfiableReadError} and the read fails with {@link StreamClosedError}. Pass
     * {@link Integer#MAX_VALUE} for no limit other than {@link IOStreamOptions#maxBufferSize()}. Each
     * arrival of bytes is searched once (plus {@code delimiter.length - 1} bytes of overlap), so
     * reading megabytes is linear.
     *
     * @throws IllegalArgumentException if the delimiter is empty or {@code maxBytes} is not positive
     */
    public Future<byte[]> readUntil(byte[] delimiter, int maxBytes) {
        return readUntil(delimiter, maxBytes, true);
    }

    /**
     * Like {@link #readUntil(byte[], int)}, but if the delimiter is not within {@code maxBytes} and
     * {@code closeOnOverflow} is false, only the read fails (with {@link UnsatisfiableReadError}, wrapped
     * in a {@link java.util.concurrent.CompletionException} by {@code await}); the stream stays open with
     * the bytes still buffered, so a protocol can answer before it closes (an HTTP server's 431).
     */
    public Future<byte[]> readUntil(byte[] delimiter, int maxBytes, boolean closeOnOverflow) {
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("empty delimiter");
        }
        ReadRequest.Delimiter read = new ReadRequest.Delimiter(delimiter.clone(), requirePositive(maxBytes));
        read.keepsStreamOpen = !closeOnOverflow;
        return startRead(read);
    }

    /** Reads up to and including {@code delimiter}, limited only by {@link IOStreamOptions#maxBufferSize()}. */
    public Future<byte[]> readUntil(byte[] delimiter) {
        return readUntil(delimiter, Integer.MAX_VALUE);
    }

    /**
     * Reads up to the end of the first match of {@code pattern}, matched against the buffered bytes as
     * ISO-8859-1 characters (one char per byte). {@code maxBytes} works as for {@link #readUntil}. The
     * whole buffer is matched again whenever bytes arrive, so keep {@code maxBytes} modest.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    public Future<byte[]> readUntilRegex(Pattern pattern, int maxBytes) {
        return readUntilRegex(pattern, maxBytes, true);
    }

    /** Like {@link #readUntilRegex(Pattern, int)}, with {@code closeOnOverflow} as in {@link #readUntil(byte[], int, boolean)}. */
    public Future<byte[]> readUntilRegex(Pattern pattern, int maxBytes, boolean closeOnOverflow) {
        ReadRequest.Regex read = new ReadRequest.Regex(Objects.requireNonNull(pattern, "pattern"), requirePositive(maxBytes));
        read.keepsStreamOpen = !closeOnOverflow;
        return startRead(read);
    }

    /** Reads up to the end of the first match of {@code pattern}, limited only by {@link IOStreamOptions#maxBufferSize()}. */
    public Future<byte[]> readUntilRegex(Pattern pattern) {
        return readUntilRegex(pattern, Integer.MAX_VALUE);
    }

    /**
     * Reads into {@code buffer} (from its position to its limit), taking buffered bytes first and then
     * reading the socket straight into it; completes with the number of bytes put in. Without
     * {@code partial} it completes when the buffer is full, with {@code partial} as soon as at least one
     * byte was put in. A buffer with nothing remaining completes at once with 0. Do not touch the
     * buffer until the future completes.
     */
    public Future<Integer> readInto(ByteBuffer buffer, boolean partial) {
        return startRead(new ReadRequest.Into(Objects.requireNonNull(buffer, "buffer"), partial));
    }

    /**
     * Reads everything until the stream closes cleanly (the peer's end of stream or {@link #close()});
     * on a stream already closed, returns what is still buffered. If the stream closes with an error
     * (a reset, more than {@link IOStreamOptions#maxBufferSize()} bytes, ...), it fails with a
     * {@link StreamClosedError} carrying that error, since the bytes would be incomplete; they stay
     * buffered for {@link #readBytes(int, boolean)}.
     */
    public Future<byte[]> readUntilClose() {
        return startRead(new ReadRequest.UntilClose());
    }

    /**
     * Puts {@code len} bytes of {@code data} back in front of the stream's buffer, to be read again: for
     * a protocol that read past the end of its message (a chunked body followed by a pipelined request).
     *
     * @throws IllegalStateException if a read is pending
     */
    public void unread(byte[] data, int off, int len) {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.unread");
        Objects.checkFromIndexSize(off, len, data.length);
        if (pendingRead != null) {
            throw new IllegalStateException("cannot unread while a read is pending");
        }
        readBuffer.prepend(data, off, len);
        updateInterest();
    }

    private static int requirePositive(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive (Integer.MAX_VALUE for no limit): " + maxBytes);
        }
        return maxBytes;
    }

    private <T> Future<T> startRead(ReadRequest<T> read) {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.read");
        if (pendingRead != null) {
            throw new IllegalStateException("Already reading");
        }
        pendingRead = read;
        if (closed) {
            settleAtClose(read);
            return read.future;
        }
        try {
            if (!complete(read) && ioReady() && inlineReadMayFindBytes()) {
                readFromTransport();
            }
        } catch (IOException e) {
            fail(e);
        }
        updateInterest();
        return read.future;
    }

    /** Offers the buffer to {@code read}; completes it and returns true if it could. */
    private <T> boolean complete(ReadRequest<T> read) throws UnsatisfiableReadError {
        T result;
        try {
            result = read.poll(readBuffer);
        } catch (UnsatisfiableReadError e) {
            if (!read.keepsStreamOpen) {
                throw e;
            }
            pendingRead = null;
            read.future.trySetException(e);
            return true;
        }
        if (result == null) {
            return false;
        }
        pendingRead = null; // before completing: the future's callbacks may start the next read
        read.future.trySetResult(result);
        return true;
    }

    /**
     * Reads from the transport while the pending read needs bytes, or once ahead while none is pending
     * and less than a chunk is buffered. A completed read stops it, as in Tornado.
     */
    private void readFromTransport() throws IOException {
        boolean readAhead = false;
        while (!closed) {
            ReadRequest<?> read = pendingRead;
            if (read != null) {
                if (complete(read)) {
                    return;
                }
            } else if (readAhead || readBuffer.size() >= readChunkSize) {
                return;
            }
            ByteBuffer direct = read == null ? null : read.directTarget(readBuffer);
            ByteBuffer target = direct != null ? direct : loopReadBuffer.clear().limit(readLimit(read != null));
            int n = transportRead(target);
            if (n < 0) {
                closedByPeer = true;
                close();
                return;
            }
            if (n == 0) {
                return;
            }
            if (direct != null) {
                read.directFilled(n);
                continue;
            }
            readBuffer.append(loopReadBuffer.flip());
            if (readBuffer.size() > options.maxBufferSize()) {
                throw new StreamBufferFullError("Reached maximum read buffer size of " + options.maxBufferSize() + " bytes");
            }
            readAhead = read == null;
        }
    }

    /**
     * How much one socket read may take: a chunk, never past the buffer limit while reading ahead. A
     * pending read may take one byte past it, which then fails the read (a peer that closes right at
     * the limit still completes a {@link #readUntilClose}).
     */
    private int readLimit(boolean forPendingRead) {
        int room = options.maxBufferSize() - readBuffer.size() + (forPendingRead ? 1 : 0);
        return Math.min(readChunkSize, room);
    }

    private <T> void settleAtClose(ReadRequest<T> read) {
        T result;
        try {
            result = read.poll(readBuffer);
        } catch (UnsatisfiableReadError e) {
            result = null;
        }
        if (result == null && error == null && !detached) {
            result = read.atClose(readBuffer);
        }
        pendingRead = null;
        if (result != null) {
            read.future.trySetResult(result);
        } else {
            read.future.trySetException(closedError());
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code data}; see {@link #write(ByteBuffer...)}. The array is not copied: do not change it until the future completes. */
    public Future<Void> write(byte[] data) {
        return write(ByteBuffer.wrap(data));
    }

    /**
     * Writes the remaining bytes of {@code data}, in order, with gathering writes; the future completes
     * once all of them have reached the kernel. The buffers are not copied: the stream advances their
     * positions as it writes, and they must not be changed until the future completes. An empty write
     * completes once the writes before it have. Fails with {@link StreamClosedError} on a closed stream,
     * and with {@link StreamBufferFullError} (queueing nothing) if the bytes not yet taken by the kernel
     * would exceed {@link IOStreamOptions#maxWriteBufferSize()}.
     */
    public Future<Void> write(ByteBuffer... data) {
        Future<Void> future = enqueue(data);
        flushQueue();
        return future;
    }

    /**
     * Queues {@code data} like {@link #write(ByteBuffer...)}, but leaves it in the queue until the next
     * {@link #write} or {@link #flush()} (or until earlier bytes waiting for the socket go out): a
     * protocol answering several pipelined requests sends all the answers in one system call. Call
     * {@link #flush()} before waiting for anything, or the bytes (and the future) wait too.
     */
    public Future<Void> writeLater(ByteBuffer... data) {
        Future<Void> future = enqueue(data);
        writeHeld = !closed;
        return future;
    }

    /** Hands the bytes queued by {@link #writeLater} to the transport now; what it cannot take yet goes out when it can. */
    public void flush() {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.flush");
        if (writeHeld) {
            flushQueue();
        }
    }

    /**
     * Writes {@code count} bytes of {@code file} from {@code position}, after what was written before, without
     * passing them through the heap on a plain TCP stream ({@link FileChannel#transferTo}: the kernel copies
     * from the page cache to the socket as the socket takes them; TLS reads bounded pieces to encrypt them).
     * The future completes once all of them have reached the kernel: await it before closing the file, and
     * for back-pressure. A region holds no memory and does not count toward
     * {@link IOStreamOptions#maxWriteBufferSize()}. Disk reads happen on the loop: fine from the page
     * cache, a stall of one disk read otherwise. Fails with {@link StreamClosedError} on a closed stream, or
     * if the file turns out shorter than {@code position + count}.
     */
    public Future<Void> writeFile(FileChannel file, long position, long count) {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative file region: " + position + ", " + count);
        }
        Future<Void> future = new Future<>();
        if (refused(future, 0)) {
            return future;
        }
        writeQueue.add(new FileRegion(file, position, count));
        writeIndex += count;
        writeWaiters.add(new WriteWaiter(writeIndex, future));
        flushQueue();
        return future;
    }

    private Future<Void> enqueue(ByteBuffer[] data) {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.write");
        Future<Void> future = new Future<>();
        long size = 0;
        for (ByteBuffer buffer : data) {
            size += buffer.remaining();
        }
        if (refused(future, size)) {
            return future;
        }
        for (ByteBuffer buffer : data) {
            writeQueue.add(buffer);
        }
        writeIndex += size;
        writeWaiters.add(new WriteWaiter(writeIndex, future));
        return future;
    }

    /** Fails {@code future} and returns true if {@code size} more bytes cannot be queued now. */
    private boolean refused(Future<Void> future, long size) {
        if (closed) {
            future.setException(closedError());
            return true;
        }
        if (outputShut) {
            future.setException(new StreamClosedError(new IOException("the write side of " + this + " is shut down")));
            return true;
        }
        if (writeQueue.size() + size > options.maxWriteBufferSize()) {
            future.setException(new StreamBufferFullError("Reached maximum write buffer size: " + writeQueue.size()
                    + " bytes queued, " + size + " more would exceed " + options.maxWriteBufferSize()));
            return true;
        }
        return false;
    }

    private void flushQueue() {
        writeHeld = false;
        if (ioReady()) {
            try {
                writeToTransport();
            } catch (IOException e) {
                fail(e);
            }
        }
        updateInterest();
    }

    /** Hands queued bytes to the transport until it is blocked, then completes the writes it took. */
    private void writeToTransport() throws IOException {
        writeHeld = false;
        while (!closed && (!writeQueue.isEmpty() || transportHasPendingOutput())) {
            FileRegion region = writeQueue.headRegion();
            long n;
            boolean tookAll;
            if (region != null) {
                n = transportWriteFile(region.file, region.position(), region.remaining());
                if (n == 0 && region.position() >= region.file.size()) {
                    throw new IOException("the file ends before the region queued for writing (truncated?)");
                }
                tookAll = writeQueue.consumedRegion(n);
                tookAll |= n > 0 && !transportHasPendingOutput(); // a partial transfer: try again until the socket is full
            } else {
                writeQueue.prepareBatch();
                n = transportWrite(writeQueue.batch(), 0, writeQueue.batchSize());
                tookAll = writeQueue.consumed(n);
            }
            writtenIndex += n;
            if (!tookAll || transportHasPendingOutput()) {
                break;
            }
        }
        if (transportHasPendingOutput()) {
            return; // bytes the transport took are not in the kernel yet
        }
        WriteWaiter waiter;
        while (!closed && (waiter = writeWaiters.peekFirst()) != null && waiter.end <= writtenIndex) {
            writeWaiters.pollFirst();
            waiter.future.trySetResult(null);
        }
    }

    private record WriteWaiter(long end, Future<Void> future) {}

    // ------------------------------------------------------------------ events and interest

    private boolean ioReady() {
        return connected && !closed && transportReady();
    }

    private void onEvents(SelectableChannel ignored, int events) {
        if (closed) {
            return;
        }
        try {
            int ready = events;
            if (connecting) {
                if (!channel.finishConnect()) {
                    return;
                }
                onConnected();
                ready = IOLoop.READ | IOLoop.WRITE;
            }
            proceed(ready);
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            LOG.error("Unexpected error on {}", this, e);
            close(e);
        } finally {
            updateInterest();
        }
    }

    /** Moves reads and writes on {@code ready} events, once the transport lets application data through. */
    private void proceed(int ready) throws IOException {
        if (closed) {
            return;
        }
        if (!transportReady()) {
            if (!advanceTransport() || closed) {
                return;
            }
            ready = IOLoop.READ | IOLoop.WRITE; // the transport just became ready: move what waited for it
        }
        if ((ready & IOLoop.READ) != 0) {
            readFromTransport();
        }
        if ((ready & IOLoop.WRITE) != 0 && !closed) {
            writeToTransport();
        }
    }

    /**
     * Starts the transport on a channel that was connected when the stream was made, and watches the
     * channel for what it needs (a TLS stream begins its handshake here).
     */
    final void startTransport() {
        if (!connected || closed) {
            return;
        }
        try {
            transportConnected();
            proceed(IOLoop.READ | IOLoop.WRITE);
        } catch (IOException e) {
            fail(e);
        }
        updateInterest();
    }

    /**
     * Goes on with the transport's work after it waited for something other than the channel (TLS:
     * delegated tasks that ran on an executor), then with the reads and writes that waited for it.
     */
    final void resumeTransport() {
        if (closed) {
            return;
        }
        try {
            proceed(IOLoop.READ | IOLoop.WRITE);
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            LOG.error("Unexpected error on {}", this, e);
            close(e);
        }
        updateInterest();
    }

    /** Watches the channel for exactly the events the stream can use now. */
    private void updateInterest() {
        if (closed) {
            return;
        }
        int events = interest();
        if (registered ? events == registeredEvents : events == 0) {
            return;
        }
        if (registered) {
            loop.updateHandler(channel, events);
        } else {
            loop.addHandler(channel, this::onEvents, events);
            registered = true;
        }
        registeredEvents = events;
    }

    private int interest() {
        if (connecting) {
            return IOLoop.WRITE;
        }
        if (!connected) {
            return 0;
        }
        int events = transportInterest();
        if (transportReady()) {
            if (!writeQueue.isEmpty() && !writeHeld) {
                events |= IOLoop.WRITE;
            }
            if (pendingRead != null || readBuffer.size() < readChunkSize) {
                events |= IOLoop.READ;
            }
        }
        return events;
    }

    // ------------------------------------------------------------------ transport hooks (TLS overrides)

    /**
     * Whether a read started now should try the transport at once. While the stream already watches
     * READ, bytes that reached the kernel were read ahead when they arrived, so an inline read would
     * only cost a system call that finds nothing; the pending read completes on the next READ event.
     */
    boolean inlineReadMayFindBytes() {
        return !registered || (registeredEvents & IOLoop.READ) == 0;
    }

    /** Whether application bytes may flow (TLS: the handshake is done). */
    boolean transportReady() {
        return true;
    }

    /** Makes progress on the transport's own work (TLS: the handshake); returns {@link #transportReady()}. */
    boolean advanceTransport() throws IOException {
        return true;
    }

    /** Reads application bytes into {@code dst}: a count, 0 when none are available now, -1 at the end. */
    int transportRead(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    /** Writes application bytes from {@code srcs}; returns how many the transport took. */
    long transportWrite(ByteBuffer[] srcs, int offset, int length) throws IOException {
        // A single buffer takes the JDK's plain write path, cheaper than a one-element gathering write.
        return length == 1 ? channel.write(srcs[offset]) : channel.write(srcs, offset, length);
    }

    /**
     * Writes up to {@code count} bytes of {@code file} from {@code position}; returns how many the transport
     * took. Plain TCP: {@link FileChannel#transferTo} (sendfile), no copy through the heap.
     */
    long transportWriteFile(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, channel);
    }

    /** Whether the transport holds bytes the kernel has not taken yet. */
    boolean transportHasPendingOutput() {
        return false;
    }

    /** The events the transport needs for its own work. */
    int transportInterest() {
        return 0;
    }

    /** Called once the channel is connected. */
    void transportConnected() throws IOException {}

    /** Called before the channel closes, while it is still open (TLS: sends close_notify). */
    void transportShutdown() {}

    /** Called after the stream closed, with the error its operations fail with. */
    void transportClosed(StreamClosedError error) {}

    // ------------------------------------------------------------------ closing

    /**
     * Runs {@code callback} on the loop once the stream has closed, after its pending operations have
     * failed; at once (on the loop's next iteration) if it already is. Replaces any earlier callback;
     * null removes it. Having a close callback does not keep anything alive.
     */
    public void setCloseCallback(Runnable callback) {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.setCloseCallback");
        closeCallback = callback;
        if (!closed) {
            updateInterest(); // watch the socket so that a peer's close is noticed
        } else if (callback != null && !detached) {
            closeCallback = null;
            loop.addCallback(callback);
        }
    }

    /**
     * Runs {@code callback} once, on the loop, right when this stream closes its channel: the hook of a
     * server that counts its open connections. Unlike the {@linkplain #setCloseCallback close callback},
     * which the protocol on top of the stream owns, it is the accepting server's; it moves with the
     * channel to the stream of {@link #startTls}. Replaces any earlier one; null removes it.
     */
    public void setReleaseCallback(Runnable callback) {
        releaseCallback = callback;
    }

    /**
     * Ends the write side (a TCP half-close; a TLS stream sends close_notify first): the peer reads what
     * was written, then the end of the stream, while this side can still read. Later writes fail with
     * {@link StreamClosedError}. A server that closes while its client may still be sending uses it to
     * close in stages (RFC 9112 §9.6): closing with unread input makes the kernel reset the connection,
     * and the peer may lose the last bytes written to it. Does nothing on a closed stream or a second call.
     *
     * @throws IllegalStateException if written bytes are still waiting for the socket (await the writes first)
     */
    public void shutdownOutput() {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.shutdownOutput");
        if (closed || outputShut) {
            return;
        }
        if (!writeQueue.isEmpty() || transportHasPendingOutput()) {
            throw new IllegalStateException("shutdownOutput() with " + writeQueue.size() + " bytes still to write on " + this);
        }
        outputShut = true;
        transportShutdown();
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Closes the stream (idempotent); see {@link #close(Throwable)}. */
    @Override
    public void close() {
        close(null);
    }

    /**
     * Closes the stream, recording {@code cause} (if not null) as its {@link #error()}: a TLS stream
     * sends close_notify if it can, the channel closes, a pending read completes from the buffered
     * bytes if it can and fails with {@link StreamClosedError} otherwise, pending writes and a pending
     * connect fail with {@link StreamClosedError}, and the close callback is scheduled. Bytes still
     * buffered remain readable. Idempotent.
     */
    public void close(Throwable cause) {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.close");
        if (closed) {
            return;
        }
        closed = true;
        error = cause;
        if (connected && channel.isOpen() && !outputShut) {
            transportShutdown();
        }
        registered = false;
        registeredEvents = 0;
        try {
            loop.closeChannel(channel); // the descriptor goes now (inside a poll: right after its handlers)
        } catch (IOException e) {
            LOG.debug("Error closing {}", this, e);
        }
        Runnable release = releaseCallback;
        releaseCallback = null;
        if (release != null) {
            release.run();
        }
        StreamClosedError closedError = closedError();
        ReadRequest<?> read = pendingRead;
        if (read != null) {
            settleAtClose(read);
        }
        if (connectFuture != null) {
            connectFuture.trySetException(closedError);
        }
        writeQueue.clear();
        WriteWaiter waiter;
        while ((waiter = writeWaiters.pollFirst()) != null) {
            waiter.future.trySetException(closedError);
        }
        transportClosed(closedError);
        Runnable callback = closeCallback;
        closeCallback = null;
        if (callback != null) {
            loop.addCallback(callback);
        }
    }

    private void unregister() {
        if (registered) {
            loop.removeHandler(channel);
            registered = false;
            registeredEvents = 0;
        }
    }

    /** Logs {@code e} at the level its kind deserves, then closes the stream with it. */
    final void fail(Throwable e) {
        if (closed) {
            return;
        }
        switch (e) {
            case UnsatisfiableReadError u -> LOG.info("Unsatisfiable read, closing {}: {}", this, u.getMessage());
            case StreamBufferFullError b -> LOG.info("{}, closing {}", b.getMessage(), this);
            case SSLException s -> LOG.debug("TLS error on {}: {}", this, s.toString());
            case Throwable t when ConnectionErrors.isPeerDisconnect(t) || ConnectionErrors.isConnectFailure(t) ->
                    LOG.debug("{} closed: {}", this, t.toString());
            default -> LOG.warn("Error on {}: {}", this, e.toString());
        }
        close(e);
    }

    /** The error pending and later operations fail with. */
    final StreamClosedError closedError() {
        if (error != null) {
            return StreamClosedError.of(error);
        }
        return new StreamClosedError(closedByPeer ? new EOFException("Connection closed by peer") : new ClosedChannelException());
    }

    // ------------------------------------------------------------------ TLS upgrade

    /**
     * Upgrades this connected, idle stream to TLS (STARTTLS): the channel moves to a new
     * {@link SslIOStream}, which takes over the close callback and any bytes already received, and
     * this stream becomes closed without closing the channel. The future completes with the TLS stream
     * once the handshake is done, or fails with a {@link StreamClosedError} whose cause is the
     * handshake failure. A client verifies the server's certificate and {@code serverHostname}.
     * Cancelling the future abandons the handshake: the TLS stream, and with it the channel, closes.
     *
     * @param serverSide whether this end is the TLS server
     * @param context the TLS context (certificates and trust)
     * @param serverHostname for a client, the name to verify and send as SNI; ignored for a server
     * @throws IllegalStateException if the stream is reading, writing or not connected
     * @throws NullPointerException for a client without {@code serverHostname}
     */
    public Future<SslIOStream> startTls(boolean serverSide, SSLContext context, String serverHostname) {
        return startTls(serverSide ? SslIOStream.serverEngine(context, List.of())
                : SslIOStream.clientEngine(context, serverHostname, List.of()));
    }

    /**
     * Like {@link #startTls(boolean, SSLContext, String)} with an engine configured by the caller (its
     * client mode decides the side).
     */
    public Future<SslIOStream> startTls(SSLEngine engine) {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.startTls");
        if (closed) {
            return Future.failed(closedError());
        }
        if (!connected || pendingRead != null || writing()) {
            throw new IllegalStateException("IOStream is not idle; cannot start TLS (connected=" + connected
                    + ", reading=" + reading() + ", writing=" + writing() + ")");
        }
        byte[] received = readBuffer.takeAll();
        Runnable callback = closeCallback;
        closeCallback = null;
        closed = true;
        detached = true;
        unregister();
        SslIOStream tls = new SslIOStream(channel, loop, options, engine, received);
        tls.setCloseCallback(callback);
        tls.setReleaseCallback(releaseCallback);
        releaseCallback = null;
        tls.startTransport();
        Future<SslIOStream> upgraded = tls.waitForHandshake().map(v -> tls);
        upgraded.addDoneCallback(f -> {
            if (f.isCancelled()) {
                tls.close(); // nobody else holds the TLS stream yet
            }
        });
        return upgraded;
    }

    // ------------------------------------------------------------------ state

    /** Whether the stream is closed (also after {@link #startTls} moved its channel away). */
    public boolean isClosed() {
        return closed;
    }

    /** Whether a read is pending. */
    public boolean reading() {
        return pendingRead != null;
    }

    /** The number of written bytes the transport has not taken yet. */
    public long writeBufferSize() {
        return writeQueue.size();
    }

    /** Whether written bytes are waiting for the kernel to take them. */
    public boolean writing() {
        return !writeQueue.isEmpty() || transportHasPendingOutput();
    }

    /** Why the stream closed: the error passed to {@link #close(Throwable)} or met on the socket; null if none. */
    public Throwable error() {
        return error;
    }

    /** Sets TCP_NODELAY (no Nagle delay); ignored where unsupported, e.g. on Unix-domain sockets or a closed stream. */
    public void setNoDelay(boolean on) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, on);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot set TCP_NODELAY on {}: {}", this, e.toString());
        }
    }

    /** The peer's address once connected, also after the stream closed; null before. */
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The loop this stream belongs to. */
    public IOLoop loop() {
        return loop;
    }

    /** The stream's buffer limits. */
    public IOStreamOptions options() {
        return options;
    }

    /**
     * How many received bytes a read would return now without waiting: those the stream has buffered,
     * once it has taken (without blocking) what the socket already holds, so that the answer does not
     * wait for the loop's next poll. Reaching the end of the stream on the way closes the stream. 0 while
     * a read is pending (it takes the bytes as they come). A client uses it to refuse an idle keep-alive
     * connection on which the server sent something nobody asked for.
     */
    public int available() {
        assert loop.inLoopOrNotRunning() : loop.offLoop("IOStream.available");
        if (ioReady() && pendingRead == null) {
            try {
                readFromTransport();
            } catch (IOException e) {
                fail(e);
            }
            updateInterest();
        }
        return pendingRead == null ? readBuffer.size() : 0;
    }

    /**
     * The number of received bytes the stream holds for the reader, without looking at the socket (see
     * {@link #available()}, which does).
     */
    public int bufferedBytes() {
        return readBuffer.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (remoteAddress != null ? remoteAddress : "unconnected")
                + (closed ? ", closed" : "") + "]";
    }
}
