package io.squall.websocket;

/**
 * The peer broke the protocol: the connection fails with a close frame carrying {@link #closeCode()}
 * (RFC 6455 §7.1.7) and the reason {@link #getMessage()}.
 */
final class ProtocolError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    ProtocolError(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    /** The close code to send: 1002 (protocol error), 1007 (invalid data) or 1009 (message too big). */
    int closeCode() {
        return closeCode;
    }
}
