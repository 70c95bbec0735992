package io.squall.net;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import io.squall.ioloop.Timeout;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to the first reachable address of a resolved host, racing IPv4 and IPv6 as RFC 6555
 * ("Happy Eyeballs") recommends: Tornado's {@code _Connector}, generic over the connection type.
 *
 * <p>The addresses are split by family: the <em>primary</em> family is the family of the first
 * address, the <em>secondary</em> family holds all the others; each keeps its order. Then:
 * <ul>
 *   <li>Primary addresses are tried one at a time, in order; when one fails the next starts at once.</li>
 *   <li>The secondary family starts, with its first address, when {@code secondaryDelay} (300 ms by
 *       default) has passed, or at once when any attempt fails before that. From then on it too moves to
 *       its next address whenever one fails. So at most one attempt per family is in flight.</li>
 *   <li>The first attempt to succeed wins: the result completes with its connection, every attempt
 *       still in flight is {@linkplain Future#cancel() cancelled}, and a connection that some other
 *       attempt delivers anyway is closed with {@code closer}. Failures after the win start nothing.</li>
 *   <li>If every attempt fails, the result fails with the <em>last</em> error, once both families are
 *       exhausted.</li>
 *   <li>If the overall timeout passes first, the result fails with a {@link ConnectTimeoutException}
 *       (phase {@link ConnectTimeoutException.Phase#CONNECT CONNECT}) and every attempt is abandoned as
 *       above; the secondary timer, should it fire later, starts nothing.</li>
 * </ul>
 * Cancelling the returned future abandons the attempts the same way.
 *
 * <p>The {@code connect} function starts one attempt and returns its future. When the connector
 * cancels that future, the function should release what the attempt holds (typically by closing its
 * channel in a done callback that sees {@link Future#isCancelled()}); it should complete its future
 * with {@code trySetResult}/{@code trySetException}, since the future may have been cancelled. A
 * function that throws counts as a failed attempt.
 *
 * <p>Create and start the connector on the loop's thread, from a callback or coroutine; the attempts'
 * outcomes are handled on that loop whatever thread completes them. A connector is used once.
 *
 * @param <S> the connection type (a stream, a channel)
 */
public final class HappyEyeballsConnector<S> {
    /** How long the primary family has before the secondary family starts too (Tornado: 0.3 s). */
    public static final Duration DEFAULT_SECONDARY_DELAY = Duration.ofMillis(300);

    private static final Logger LOG = LoggerFactory.getLogger(HappyEyeballsConnector.class);

    private final IOLoop loop;
    private final List<InetSocketAddress> primary;
    private final List<InetSocketAddress> secondary;
    private final Function<InetSocketAddress, Future<S>> connect;
    private final Consumer<? super S> closer;
    private final Future<S> result = new Future<>();
    private final Set<Future<S>> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    private int remaining;
    private int failures;
    private Throwable lastError;
    private boolean started;
    private boolean secondaryStarted;
    private Timeout secondaryTimer;
    private Timeout overallTimer;
    private Duration overallTimeout;

    /**
     * Creates a connector for the loop of the calling code ({@link IOLoop#current()}).
     *
     * @param addresses the resolved addresses, in the resolver's order; not empty
     * @param connect starts an attempt to one address
     * @param closer closes a connection that succeeded after another one won
     * @throws IllegalArgumentException if {@code addresses} is empty or holds an unresolved address
     */
    public HappyEyeballsConnector(List<InetSocketAddress> addresses, Function<InetSocketAddress, Future<S>> connect,
                                  Consumer<? super S> closer) {
        this.connect = Objects.requireNonNull(connect, "connect");
        this.closer = Objects.requireNonNull(closer, "closer");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to connect to");
        }
        for (InetSocketAddress address : addresses) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address: " + address);
            }
        }
        Split split = split(addresses);
        this.primary = split.primary();
        this.secondary = split.secondary();
        this.remaining = addresses.size();
        this.loop = IOLoop.current();
    }

    /** The addresses split by family: the family of the first one, and all the others. */
    record Split(List<InetSocketAddress> primary, List<InetSocketAddress> secondary) {}

    static Split split(List<InetSocketAddress> addresses) {
        AddressFamily primaryFamily = AddressFamily.of(addresses.getFirst().getAddress());
        List<InetSocketAddress> primary = new ArrayList<>();
        List<InetSocketAddress> secondary = new ArrayList<>();
        for (InetSocketAddress address : addresses) {
            (AddressFamily.of(address.getAddress()) == primaryFamily ? primary : secondary).add(address);
        }
        return new Split(List.copyOf(primary), List.copyOf(secondary));
    }

    /** Same as {@link #start(Duration, Duration)} with the {@linkplain #DEFAULT_SECONDARY_DELAY default delay}. */
    public Future<S> start(Duration overallTimeout) {
        return start(overallTimeout, DEFAULT_SECONDARY_DELAY);
    }

    /**
     * Starts connecting.
     *
     * @param overallTimeout how long the whole race may take, or null for no limit
     * @param secondaryDelay how long the primary family runs alone unless an attempt fails first
     * @return the winning connection, or failed with the last attempt's error or a
     *     {@link ConnectTimeoutException}
     * @throws IllegalStateException if already started
     */
    public Future<S> start(Duration overallTimeout, Duration secondaryDelay) {
        Objects.requireNonNull(secondaryDelay, "secondaryDelay");
        if (secondaryDelay.isNegative() || overallTimeout != null && overallTimeout.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + overallTimeout + ", " + secondaryDelay);
        }
        if (started) {
            throw new IllegalStateException("connector already started");
        }
        started = true;
        this.overallTimeout = overallTimeout;
        result.addDoneCallback(f -> abandon());
        tryConnect(primary.iterator()); // its outcome arrives in a later loop iteration
        secondaryTimer = loop.callLater(secondaryDelay, this::startSecondary);
        if (overallTimeout != null) {
            overallTimer = loop.callLater(overallTimeout, this::onOverallTimeout);
        }
        return result;
    }

    private void tryConnect(Iterator<InetSocketAddress> addresses) {
        if (!addresses.hasNext()) {
            // This family is exhausted; fail only once the other one is too.
            if (remaining == 0 && lastError != null) {
                result.trySetException(lastError);
            }
            return;
        }
        InetSocketAddress address = addresses.next();
        Future<S> attempt;
        try {
            attempt = Objects.requireNonNull(connect.apply(address), "connect function returned null");
        } catch (RuntimeException e) {
            attempt = Future.failed(e);
        }
        inFlight.add(attempt);
        loop.addFuture(attempt, f -> onAttemptDone(addresses, address, f));
    }

    private void onAttemptDone(Iterator<InetSocketAddress> addresses, InetSocketAddress address, Future<S> attempt) {
        remaining--;
        inFlight.remove(attempt);
        Throwable error = attempt.exception();
        if (error == null) {
            S connection = attempt.result();
            if (!result.trySetResult(connection)) {
                LOG.debug("closing the late connection to {}", address);
                closeQuietly(connection);
            }
            return;
        }
        if (result.isDone()) {
            return;
        }
        LOG.debug("connection attempt to {} failed: {}", address, error.toString());
        failures++;
        lastError = error;
        tryConnect(addresses);
        // A failure does not wait for the timer to bring in the other family.
        startSecondary();
    }

    /** Starts the secondary family (the timer's action); a no-op once started or finished. */
    void startSecondary() {
        if (secondaryTimer != null) {
            secondaryTimer.cancel();
            secondaryTimer = null;
        }
        if (secondaryStarted || result.isDone()) {
            return;
        }
        secondaryStarted = true;
        tryConnect(secondary.iterator());
    }

    /** Fails the race with a timeout (the overall timer's action); a no-op once finished. */
    void onOverallTimeout() {
        overallTimer = null;
        String detail = (primary.size() + secondary.size()) + " address(es), " + failures + " failed, "
                + inFlight.size() + " in progress" + (lastError == null ? "" : "; last error: " + lastError);
        result.trySetException(new ConnectTimeoutException(ConnectTimeoutException.Phase.CONNECT,
                overallTimeout, detail));
    }

    /** Once the result is done, however: stop the timers and drop every attempt still in flight. */
    private void abandon() {
        if (secondaryTimer != null) {
            secondaryTimer.cancel();
            secondaryTimer = null;
        }
        if (overallTimer != null) {
            overallTimer.cancel();
            overallTimer = null;
        }
        for (Future<S> attempt : List.copyOf(inFlight)) {
            attempt.cancel();
        }
    }

    private void closeQuietly(S connection) {
        try {
            closer.accept(connection);
        } catch (RuntimeException e) {
            LOG.warn("error closing a losing connection {}", connection, e);
        }
    }
}
