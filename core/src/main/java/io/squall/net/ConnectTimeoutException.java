package io.squall.net;

import io.squall.concurrent.OperationTimeoutException;
import java.io.Serial;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * A connection could not be set up before its deadline.
 *
 * <p>It says in which {@linkplain #phase() phase} the deadline passed and how long the
 * {@linkplain #timeout() timeout} was. It is an {@link OperationTimeoutException}, so code that handles
 * Squall timeouts in general (Tornado's {@code TimeoutError}) also handles this one. Unchecked, so it
 * propagates through {@code await} as raised.
 */
public class ConnectTimeoutException extends OperationTimeoutException {
    /** The step of setting up a connection that did not finish in time. */
    public enum Phase {
        /** Looking up the host name. */
        RESOLVE,
        /** Establishing the TCP connection (all addresses tried so far). */
        CONNECT,
        /** The TLS handshake on an established connection. */
        TLS_HANDSHAKE
    }

    @Serial
    private static final long serialVersionUID = 1L;

    private final Phase phase;
    private final Duration timeout;

    /**
     * Creates the exception. The message reads
     * {@code "Timeout while <phase> after <seconds> s: <detail>"}.
     *
     * @param phase the step that did not finish
     * @param timeout the deadline that passed, measured from the start of the whole operation
     * @param detail what was going on (addresses, attempts); may be empty
     */
    public ConnectTimeoutException(Phase phase, Duration timeout, String detail) {
        super(message(phase, timeout, detail));
        this.phase = phase;
        this.timeout = timeout;
    }

    /** The step that did not finish in time. */
    public Phase phase() {
        return phase;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }

    private static String message(Phase phase, Duration timeout, String detail) {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(timeout, "timeout");
        String what = switch (phase) {
            case RESOLVE -> "resolving";
            case CONNECT -> "connecting";
            case TLS_HANDSHAKE -> "in the TLS handshake";
        };
        String seconds = BigDecimal.valueOf(timeout.toNanos(), 9).stripTrailingZeros().toPlainString();
        String base = "Timeout while " + what + " after " + seconds + " s";
        return detail == null || detail.isEmpty() ? base : base + ": " + detail;
    }
}
