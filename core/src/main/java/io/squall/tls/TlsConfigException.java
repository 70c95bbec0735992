package io.squall.tls;

import java.nio.file.Path;

/**
 * A TLS configuration that cannot be used: a file that cannot be read or holds no PEM block of the
 * expected kind, a wrong password, a private key that does not belong to the certificate. The message
 * names the file; {@link #reason()} says what went wrong, {@link #file()} which file (null when the
 * problem is not one file's).
 */
public final class TlsConfigException extends Exception {
    /** What went wrong. */
    public enum Reason {
        /** The file is missing or cannot be read. */
        UNREADABLE_FILE,
        /** The file holds no PEM block of the kind expected (certificate, private key). */
        NO_PEM_BLOCK,
        /** A PEM block that does not decode: bad Base64, bad DER, an unsupported key type or format. */
        MALFORMED,
        /** The encrypted private key does not decrypt with the password given (or no password was given). */
        WRONG_PASSWORD,
        /** The private key is not the one of the first certificate of the chain. */
        KEY_MISMATCH,
        /** The JDK could not build the TLS context from otherwise valid material. */
        UNUSABLE
    }

    private final Reason reason;
    private final transient Path file;

    TlsConfigException(Reason reason, Path file, String message, Throwable cause) {
        super(file == null ? message : file + ": " + message, cause);
        this.reason = reason;
        this.file = file;
    }

    TlsConfigException(Reason reason, Path file, String message) {
        this(reason, file, message, null);
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }

    /** The file at fault, or null. */
    public Path file() {
        return file;
    }
}
