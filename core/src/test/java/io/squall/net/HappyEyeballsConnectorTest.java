package io.squall.net;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.moment;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Happy Eyeballs algorithm with hand-completed attempts (Tornado's {@code ConnectorTest} and
 * {@code TestConnectorSplit}). Attempts are futures the test completes on the loop; the timers are set
 * to an hour and fired by hand through the connector's package-private hooks, like Tornado's tests
 * call {@code on_timeout()} and {@code on_connect_timeout()}.
 */
class HappyEyeballsConnectorTest extends AsyncTestCase {
    private static final Duration NEVER = Duration.ofHours(1);
    // Two IPv4 addresses (the primary family when first) and two IPv6 ones.
    private static final InetSocketAddress A = address("10.0.0.1");
    private static final InetSocketAddress B = address("10.0.0.2");
    private static final InetSocketAddress C = address("fd00::3");
    private static final InetSocketAddress D = address("fd00::4");
    private static final List<InetSocketAddress> ADDRESSES = List.of(A, B, C, D);

    /** A connection of the test: it only knows where it goes and whether it was closed. */
    static final class FakeConnection {
        final InetSocketAddress address;
        boolean closed;

        FakeConnection(InetSocketAddress address) {
            this.address = address;
        }
    }

    /** An attempt whose connect code ignores cancellation, so it can still succeed late. */
    static final class StubbornFuture<T> extends Future<T> {
        @Override
        public boolean cancel() {
            return false;
        }
    }

    private final Map<InetSocketAddress, Future<FakeConnection>> pending = new LinkedHashMap<>();
    private final List<FakeConnection> connections = new ArrayList<>();
    private boolean stubbornAttempts;


    @AfterEach
    void noConnectionClosedUnexpectedly() {
        // Unless a test checked (and removed) it, no connection may have been closed.
        for (FakeConnection c : connections) {
            assertFalse(c.closed, "unexpectedly closed: " + c.address);
        }
    }

    private static InetSocketAddress address(String ip) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), 80);
    }


    private Future<FakeConnection> connect(InetSocketAddress address) {
        assertFalse(pending.containsKey(address), "second attempt to " + address);
        Future<FakeConnection> f = stubbornAttempts ? new StubbornFuture<>() : new Future<>();
        pending.put(address, f);
        return f;
    }

    private HappyEyeballsConnector<FakeConnection> connector(List<InetSocketAddress> addresses) {
        return new HappyEyeballsConnector<>(addresses, this::connect, c -> c.closed = true);
    }

    private Future<FakeConnection> startConnect(HappyEyeballsConnector<FakeConnection> connector) {
        return connector.start(NEVER, NEVER);
    }

    private void assertPending(InetSocketAddress... expected) {
        assertEquals(Set.of(expected), pending.keySet());
        for (InetSocketAddress a : expected) {
            assertFalse(pending.get(a).isDone(), a + " should be in flight");
        }
    }

    /** Completes the attempt to {@code address} and lets the loop run the connector's reaction. */
    private FakeConnection resolveConnect(InetSocketAddress address, boolean success) {
        Future<FakeConnection> f = pending.remove(address);
        FakeConnection connection = null;
        if (success) {
            connection = new FakeConnection(address);
            connections.add(connection);
            f.setResult(connection);
        } else {
            f.setException(new IOException("refused: " + address));
        }
        await(moment());
        return connection;
    }

    /** Checks that the attempts to {@code addresses} were cancelled by the connector, and forgets them. */
    private void assertCancelled(InetSocketAddress... addresses) {
        for (InetSocketAddress address : addresses) {
            Future<FakeConnection> f = pending.remove(address);
            assertNotNull(f, "no attempt to " + address);
            assertTrue(f.isCancelled(), address + " should have been cancelled");
        }
    }

    /** After a loop turn nothing is in flight and {@code result} failed with the overall timeout. */
    private void assertAbandonedWithTimeout(Future<?> result) {
        await(moment());
        assertPending();
        assertInstanceOf(ConnectTimeoutException.class, failure(result));
    }

    private static Throwable failure(Future<?> f) {
        assertTrue(f.isDone(), "result should be done");
        assertNotNull(f.exception(), "result should have failed");
        return f.exception();
    }

    // ------------------------------------------------------------------ split

    @Test
    void splitOneFamily() {
        var split = HappyEyeballsConnector.split(List.of(A, B));
        assertEquals(List.of(A, B), split.primary());
        assertEquals(List.of(), split.secondary());
    }

    @Test
    void splitMixedKeepsOrderWithinEachFamily() {
        var split = HappyEyeballsConnector.split(List.of(C, A, D, B));
        assertEquals(List.of(C, D), split.primary());
        assertEquals(List.of(A, B), split.secondary());
    }

    // ------------------------------------------------------------------ the race

    @Test
    void immediateSuccess() {
        run(() -> {
            var result = startConnect(connector(ADDRESSES));
            assertPending(A);
            FakeConnection a = resolveConnect(A, true);
            assertSame(a, result.result());
        });
    }

    @Test
    void immediateFailure() {
        run(() -> {
            var result = startConnect(connector(List.of(A)));
            assertPending(A);
            resolveConnect(A, false);
            assertInstanceOf(IOException.class, failure(result));
        });
    }

    @Test
    void oneFamilySecondTry() {
        run(() -> {
            var result = startConnect(connector(List.of(A, B)));
            assertPending(A);
            resolveConnect(A, false);
            assertPending(B);
            FakeConnection b = resolveConnect(B, true);
            assertSame(b, result.result());
        });
    }

    @Test
    void oneFamilySecondTryFailure() {
        run(() -> {
            var result = startConnect(connector(List.of(A, B)));
            resolveConnect(A, false);
            assertPending(B);
            resolveConnect(B, false);
            assertInstanceOf(IOException.class, failure(result));
        });
    }

    @Test
    void oneFamilySecondaryTimerDoesNothing() {
        run(() -> {
            var connector = connector(List.of(A, B));
            var result = startConnect(connector);
            assertPending(A);
            connector.startSecondary(); // the 300 ms timer fires while A is pending: nothing happens
            assertPending(A);
            resolveConnect(A, false);
            assertPending(B);
            FakeConnection b = resolveConnect(B, true);
            assertSame(b, result.result());
        });
    }

    @Test
    void twoFamiliesImmediateFailureStartsSecondaryAtOnce() {
        run(() -> {
            var result = startConnect(connector(ADDRESSES));
            assertPending(A);
            resolveConnect(A, false);
            assertPending(B, C); // no waiting for the timer
            resolveConnect(B, false);
            FakeConnection c = resolveConnect(C, true);
            assertSame(c, result.result());
        });
    }

    @Test
    void twoFamiliesTimeoutThenSecondaryWins() {
        run(() -> {
            var connector = connector(ADDRESSES);
            var result = startConnect(connector);
            assertPending(A);
            connector.startSecondary();
            assertPending(A, C);
            FakeConnection c = resolveConnect(C, true);
            assertSame(c, result.result());
            // A is abandoned, and its failure after the win does not start B.
            assertCancelled(A);
            await(moment());
            assertPending();
        });
    }

    @Test
    void successAfterTimeoutCancelsTheOtherAttempt() {
        run(() -> {
            var connector = connector(ADDRESSES);
            var result = startConnect(connector);
            connector.startSecondary();
            assertPending(A, C);
            FakeConnection a = resolveConnect(A, true);
            assertSame(a, result.result());
            assertCancelled(C);
            assertPending();
        });
    }

    @Test
    void lateSuccessIsClosed() {
        stubbornAttempts = true; // the connect code ignores cancellation
        run(() -> {
            var connector = connector(ADDRESSES);
            var result = startConnect(connector);
            connector.startSecondary();
            FakeConnection a = resolveConnect(A, true);
            assertSame(a, result.result());
            FakeConnection c = resolveConnect(C, true);
            assertTrue(c.closed, "the late connection must be closed");
            connections.remove(c);
            assertFalse(a.closed);
            assertPending();
        });
    }

    @Test
    void allFailRaisesTheLastErrorOnlyWhenBothFamiliesAreExhausted() {
        run(() -> {
            var connector = connector(ADDRESSES);
            var result = startConnect(connector);
            assertPending(A);
            connector.startSecondary();
            assertPending(A, C);
            resolveConnect(C, false);
            assertPending(A, D);
            resolveConnect(D, false);
            assertPending(A); // the secondary family is exhausted; the primary still works
            resolveConnect(A, false);
            assertPending(B);
            assertFalse(result.isDone());
            Future<FakeConnection> last = pending.get(B);
            resolveConnect(B, false);
            assertSame(last.exception(), failure(result));
        });
    }

    @Test
    void overallTimeoutWithOneFamilyCancelsAndStartsNothingLater() {
        run(() -> {
            var connector = connector(List.of(A, B));
            var result = startConnect(connector);
            assertPending(A);
            connector.onOverallTimeout();
            assertCancelled(A);
            connector.startSecondary();
            await(moment());
            assertPending();
            ConnectTimeoutException e = assertInstanceOf(ConnectTimeoutException.class, failure(result));
            assertEquals(ConnectTimeoutException.Phase.CONNECT, e.phase());
        });
    }

    @Test
    void successBeforeOverallTimeoutIsKept() {
        run(() -> {
            var connector = connector(List.of(A, B));
            var result = startConnect(connector);
            FakeConnection a = resolveConnect(A, true);
            connector.onOverallTimeout();
            assertPending();
            assertFalse(a.closed);
            assertSame(a, result.result());
        });
    }

    @Test
    void overallTimeoutDuringSecondTry() {
        run(() -> {
            var connector = connector(List.of(A, B));
            var result = startConnect(connector);
            resolveConnect(A, false);
            assertPending(B);
            connector.onOverallTimeout();
            assertCancelled(B);
            assertPending();
            ConnectTimeoutException e = assertInstanceOf(ConnectTimeoutException.class, failure(result));
            assertTrue(e.getMessage().contains("1 failed"), e.getMessage());
            assertTrue(e.getMessage().contains("refused: " + A), e.getMessage());
        });
    }

    @Test
    void failureBeforeOverallTimeoutIsKept() {
        run(() -> {
            var connector = connector(List.of(A, B));
            var result = startConnect(connector);
            resolveConnect(A, false);
            resolveConnect(B, false);
            connector.onOverallTimeout();
            assertPending();
            assertInstanceOf(IOException.class, failure(result));
        });
    }

    @Test
    void overallTimeoutWithTwoFamiliesInFlightCancelsBoth() {
        run(() -> {
            var connector = connector(ADDRESSES);
            var result = startConnect(connector);
            connector.startSecondary();
            assertPending(A, C);
            connector.onOverallTimeout();
            assertCancelled(A, C);
            assertAbandonedWithTimeout(result);
        });
    }

    @Test
    void overallTimeoutBeforeSecondaryTimer() {
        run(() -> {
            var connector = connector(ADDRESSES);
            var result = startConnect(connector);
            connector.onOverallTimeout();
            assertCancelled(A);
            connector.startSecondary(); // fires after the timeout: no secondary attempt
            assertAbandonedWithTimeout(result);
        });
    }

    // ------------------------------------------------------------------ beyond Tornado's tests

    @Test
    void cancellingTheResultAbandonsEveryAttempt() {
        run(() -> {
            var connector = connector(ADDRESSES);
            var result = startConnect(connector);
            connector.startSecondary();
            assertPending(A, C);
            assertTrue(result.cancel());
            assertCancelled(A, C);
            await(moment());
            assertPending();
        });
    }

    @Test
    void aThrowingConnectFunctionCountsAsAFailedAttempt() {
        run(() -> {
            RuntimeException boom = new IllegalStateException("no socket for you");
            var connector = new HappyEyeballsConnector<FakeConnection>(ADDRESSES, address -> {
                if (address.equals(A)) {
                    throw boom;
                }
                return connect(address);
            }, c -> c.closed = true);
            var result = startConnect(connector);
            await(moment());
            assertPending(B, C);
            resolveConnect(B, false);
            resolveConnect(C, false);
            assertPending(D);
            Future<FakeConnection> last = pending.get(D);
            resolveConnect(D, false);
            assertSame(last.exception(), failure(result));
        });
    }

    @Test
    void theRealSecondaryTimerStartsTheOtherFamily() {
        run(() -> {
            Future<Void> secondaryStarted = new Future<>();
            var connector = new HappyEyeballsConnector<FakeConnection>(ADDRESSES, address -> {
                if (address.equals(C)) {
                    secondaryStarted.trySetResult(null);
                }
                return connect(address);
            }, c -> c.closed = true);
            connector.start(NEVER, Duration.ofMillis(20));
            assertPending(A);
            await(secondaryStarted);
            assertPending(A, C);
        });
    }

    @Test
    void theRealOverallTimeoutFailsTheResult() {
        run(() -> {
            var result = connector(ADDRESSES).start(Duration.ofMillis(50), NEVER);
            ConnectTimeoutException e = assertThrows(ConnectTimeoutException.class, () -> await(result));
            assertEquals(Duration.ofMillis(50), e.timeout());
            assertTrue(e.getMessage().startsWith("Timeout while connecting after 0.05 s: 4 address(es)"),
                    e.getMessage());
            assertCancelled(A);
        });
    }

    @Test
    void rejectsBadArguments() {
        run(() -> {
            assertThrows(IllegalArgumentException.class, () -> connector(List.of()));
            assertThrows(IllegalArgumentException.class,
                    () -> connector(List.of(InetSocketAddress.createUnresolved("example.com", 80))));
            var connector = connector(List.of(A));
            startConnect(connector);
            assertThrows(IllegalStateException.class, () -> startConnect(connector));
            resolveConnect(A, false);
        });
    }
}
