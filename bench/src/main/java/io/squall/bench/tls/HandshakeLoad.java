package io.squall.bench.tls;

import io.squall.tls.TlsConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The load side of the handshake-latency benchmark: new TLS connections at a fixed rate (each one
 * handshakes, reads one byte, closes; a virtual thread each), and meanwhile a few plain connections
 * that send a line, wait for its echo and measure the round trip, at a fixed rate. Prints the round-trip
 * percentiles of the measured period and how many handshakes completed or failed.
 *
 * <p>At most 256 handshakes are in flight (ticks beyond are counted as skipped), and a probe whose round
 * trip exceeds 30 s stops there (that round trip is counted). Round trips are timed from the write, so a
 * stalled server delays later pings rather than adding samples (no coordinated-omission correction).
 *
 * <p>Usage: {@code HandshakeLoad plainPort tlsPort ca.pem handshakesPerSecond warmupSeconds seconds}
 */
public final class HandshakeLoad {
    private static final int PROBES = 4;
    private static final int PINGS_PER_SECOND_PER_PROBE = 250;
    /** At most this many handshakes in flight: a tick finding them all busy is counted as skipped. */
    private static final int MAX_IN_FLIGHT = 256;
    /** A round trip longer than this stops the probe (the server is saturated): reported as the max. */
    private static final int PROBE_TIMEOUT_MILLIS = 30_000;

    private HandshakeLoad() {}

    /** Runs the load and prints one result line. */
    public static void main(String[] args) throws Exception {
        int plainPort = Integer.parseInt(args[0]);
        int tlsPort = Integer.parseInt(args[1]);
        SSLContext context = TlsConfig.client().trust(Path.of(args[2])).build();
        int rate = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);

        AtomicLong handshakes = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        if (rate > 0) {
            ticker.scheduleAtFixedRate(() -> {
                if (!inFlight.tryAcquire()) {
                    skipped.incrementAndGet();
                    return;
                }
                Thread.ofVirtual().start(() -> handshake(context, tlsPort, handshakes, failures, inFlight));
            }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        }

        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        long[][] samples = new long[PROBES][];
        Thread[] probes = new Thread[PROBES];
        for (int p = 0; p < PROBES; p++) {
            int probe = p;
            probes[p] = Thread.ofPlatform().start(() -> samples[probe] = probe(plainPort, measureFrom, end));
        }
        while (System.nanoTime() < measureFrom) {
            Thread.sleep(10);
        }
        long handshakesBefore = handshakes.get();
        for (Thread probe : probes) {
            probe.join();
        }
        long handshakesDuring = handshakes.get() - handshakesBefore;
        ticker.shutdownNow();

        long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            System.out.printf("handshakes/s %.0f failed %d skipped %d pings 0 (no round trip completed in the measured period)%n",
                    handshakesDuring / (double) seconds, failures.get(), skipped.get());
            System.exit(0);
        }
        System.out.printf("handshakes/s %.0f failed %d skipped %d pings %d p50_us %d p90_us %d p99_us %d p999_us %d max_us %d%n",
                handshakesDuring / (double) seconds, failures.get(), skipped.get(), all.length, percentile(all, 0.50),
                percentile(all, 0.90), percentile(all, 0.99), percentile(all, 0.999), all[all.length - 1]);
        System.exit(0);
    }

    private static void handshake(SSLContext context, int port, AtomicLong handshakes, AtomicLong failures,
                                  Semaphore inFlight) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            if (socket.getInputStream().read() == '!') {
                handshakes.incrementAndGet();
            } else {
                failures.incrementAndGet();
            }
        } catch (Exception e) {
            failures.incrementAndGet();
        } finally {
            inFlight.release();
        }
    }

    /** Pings on one plain connection at a fixed rate until {@code end}; returns the round trips measured after {@code from}, in µs. */
    private static long[] probe(int port, long from, long end) {
        long[] rtts = new long[(int) (TimeUnit.NANOSECONDS.toSeconds(end - System.nanoTime()) + 1) * PINGS_PER_SECOND_PER_PROBE];
        int n = 0;
        long interval = 1_000_000_000L / PINGS_PER_SECOND_PER_PROBE;
        byte[] ping = "ping\n".getBytes();
        byte[] reply = new byte[ping.length];
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long next = System.nanoTime();
            while (next < end) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                long sent = System.nanoTime();
                out.write(ping);
                try {
                    in.readNBytes(reply, 0, reply.length);
                } catch (SocketTimeoutException e) {
                    if (sent >= from && n < rtts.length) {
                        rtts[n++] = (System.nanoTime() - sent) / 1000;
                    }
                    break;
                }
                long rtt = System.nanoTime() - sent;
                if (sent >= from && n < rtts.length) {
                    rtts[n++] = rtt / 1000;
                }
                next += interval;
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        return Arrays.copyOf(rtts, n);
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
