package io.squall.websocket;

/** The close status codes of RFC 6455 §7.4 that this module uses, and which of them may go on the wire. */
public final class CloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The endpoint is going away (server shutdown, page left). */
    public static final int GOING_AWAY = 1001;
    /** The peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A type of data the endpoint cannot accept (text to a binary-only endpoint, or the reverse). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reported locally when a close frame had no status code; never sent. */
    public static final int NO_STATUS = 1005;
    /** Reported locally when the connection closed without a close frame; never sent. */
    public static final int ABNORMAL = 1006;
    /** A message's data was not consistent with its type (invalid UTF-8 in a text message). */
    public static final int INVALID_DATA = 1007;
    /** A message violated the endpoint's policy. */
    public static final int POLICY_VIOLATION = 1008;
    /** A message was larger than the endpoint accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The server met an unexpected condition (an exception in the application). */
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {}

    /**
     * Whether {@code code} may appear in a close frame on the wire: 1000–1003, 1007–1014 and 3000–4999
     * (0–999, 1004–1006, 1015, 1016–2999 and 5000 up are invalid there).
     */
    public static boolean validOnWire(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
