package io.squall.web.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A push parser of {@code multipart/form-data} bodies (RFC 7578 over RFC 2046's multipart syntax) from
 * untrusted bytes, fed in pieces of any size as they arrive. It tells its {@link Listener} where each part
 * starts (its {@link PartHead}), hands over the part's bytes as it finds them, and says where the part
 * ends; it holds no more than one delimiter's length of body and one part's header bytes.
 *
 * <p>Work is linear in the body: each byte is looked at a bounded number of times (the boundary is at most
 * 70 characters, RFC 2046 §5.1.1), header lines are found by one scan, and header parameters by one pass
 * (see Tornado's CVE-2025-67726). The first error ends the parse with one {@link MultipartException}
 * (Tornado logged and went on, CVE-2025-47287); the parser then refuses more input. Limits: the
 * {@linkplain MultipartOptions#maxParts() part count} and the {@linkplain MultipartOptions#maxPartHeaderSize()
 * header bytes} of each part. Header lines must end with CRLF (a bare CR or LF is an error, as is a line
 * folded onto the next) and are decoded as UTF-8 (RFC 7578 §5.1: file names in UTF-8); a {@code filename*}
 * parameter (RFC 5987) wins over {@code filename}.
 *
 * <pre>{@code
 * MultipartParser parser = new MultipartParser(MultipartParser.boundaryOf(contentType), options, listener);
 * parser.feed(piece, 0, piece.length);   // as often as pieces arrive
 * parser.finish();                       // fails if the closing delimiter never came
 * }</pre>
 */
public final class MultipartParser {
    /** The longest boundary RFC 2046 allows. */
    public static final int MAX_BOUNDARY_LENGTH = 70;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** Receives the parts as the parser finds them; an exception it throws ends the parse. */
    public interface Listener {
        /** A part begins. */
        void partStarted(PartHead head) throws MultipartException;

        /** Bytes of the current part's body; the array is only valid during the call. */
        void partData(byte[] data, int offset, int length) throws MultipartException;

        /** The current part's body ended. */
        void partEnded() throws MultipartException;
    }

    private enum State {
        /** Before the first delimiter: bytes are dropped. */
        PREAMBLE,
        /** Just after a delimiter: {@code --} (the close delimiter) or padding and CRLF. */
        DELIMITER_LINE,
        /** In a part's header lines. */
        HEADERS,
        /** In a part's body. */
        BODY,
        /** After the close delimiter: bytes are dropped. */
        EPILOGUE,
        /** An error was reported. */
        FAILED
    }

    private final byte[] delimiter;
    private final MultipartOptions options;
    private final Listener listener;
    private State state = State.PREAMBLE;
    /**
     * Bytes kept from the previous piece because they may begin a delimiter (or a delimiter line's end);
     * at first the CRLF that lets a body begin with the first delimiter.
     */
    private byte[] carry = {CR, LF};
    /** The current part's header line so far and its header bytes so far. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int headerBytes;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int parts;

    /**
     * A parser for parts separated by {@code boundary} (see {@link #boundaryOf}).
     *
     * @throws IllegalArgumentException if {@code boundary} is empty or longer than 70 characters or not ASCII
     */
    public MultipartParser(String boundary, MultipartOptions options, Listener listener) {
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(boundary)) {
            throw new IllegalArgumentException("a boundary has 1 to 70 ASCII characters");
        }
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The boundary of a {@code multipart/form-data} content type.
     *
     * @throws MultipartException (400) if {@code contentType} is not {@code multipart/form-data} with a boundary
     *     of 1 to 70 ASCII characters
     */
    public static String boundaryOf(String contentType) throws MultipartException {
        HeaderParameters parsed = HeaderParameters.parse(Objects.requireNonNull(contentType, "contentType"));
        if (!parsed.value().equals("multipart/form-data")) {
            throw MultipartException.malformed("not multipart/form-data");
        }
        String boundary = parsed.parameters().get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH
                || !boundary.chars().allMatch(c -> c > 0x20 && c < 0x7F || c == ' ')) {
            throw MultipartException.malformed("missing or invalid boundary");
        }
        return boundary;
    }

    /**
     * Parses {@code length} more bytes of the body.
     *
     * @throws MultipartException at the first error, which ends the parse
     * @throws IllegalStateException after an error or {@link #finish()}
     */
    public void feed(byte[] data, int offset, int length) throws MultipartException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (state == State.FAILED) {
            throw new IllegalStateException("the parse already failed");
        }
        if (state == State.EPILOGUE) {
            return;
        }
        byte[] buf = data;
        int pos = offset;
        int end = offset + length;
        if (carry.length > 0) {
            buf = Arrays.copyOf(carry, carry.length + length);
            System.arraycopy(data, offset, buf, carry.length, length);
            pos = 0;
            end = buf.length;
            carry = new byte[0];
        }
        try {
            parse(buf, pos, end);
        } catch (MultipartException | RuntimeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    /**
     * Ends the body.
     *
     * @throws MultipartException (400) if the close delimiter was not found
     */
    public void finish() throws MultipartException {
        if (state != State.EPILOGUE) {
            state = State.FAILED;
            throw MultipartException.malformed("the body ends before the closing boundary");
        }
    }

    /** Whether the close delimiter was found: what follows is ignored. */
    public boolean isComplete() {
        return state == State.EPILOGUE;
    }

    private void parse(byte[] buf, int pos, int end) throws MultipartException {
        while (pos < end) {
            switch (state) {
                case PREAMBLE, BODY -> {
                    int found = indexOfDelimiter(buf, pos, end);
                    if (found < 0) {
                        // Keep what may begin a delimiter; the rest is body (or preamble).
                        int keep = Math.min(end - pos, delimiter.length - 1);
                        if (state == State.BODY && end - keep > pos) {
                            listener.partData(buf, pos, end - keep - pos);
                        }
                        carry = Arrays.copyOfRange(buf, end - keep, end);
                        return;
                    }
                    if (state == State.BODY) {
                        if (found > pos) {
                            listener.partData(buf, pos, found - pos);
                        }
                        listener.partEnded();
                    }
                    pos = found + delimiter.length;
                    state = State.DELIMITER_LINE;
                }
                case DELIMITER_LINE -> {
                    while (pos < end && (buf[pos] == ' ' || buf[pos] == '\t')) {
                        pos++; // transport padding
                    }
                    if (end - pos < 2) {
                        carry = Arrays.copyOfRange(buf, pos, end);
                        return;
                    }
                    if (buf[pos] == '-' && buf[pos + 1] == '-') {
                        state = State.EPILOGUE;
                        return;
                    }
                    if (buf[pos] != CR || buf[pos + 1] != LF) {
                        throw MultipartException.malformed("no CRLF after a boundary");
                    }
                    pos += 2;
                    if (++parts > options.maxParts()) {
                        throw new MultipartException(413, "multipart/form-data body has more than "
                                + options.maxParts() + " parts");
                    }
                    state = State.HEADERS;
                    headerBytes = 0;
                    headers.clear();
                    line.reset();
                }
                case HEADERS -> pos = parseHeaderLines(buf, pos, end);
                case EPILOGUE -> {
                    return;
                }
                case FAILED -> throw new IllegalStateException("the parse already failed");
            }
        }
    }

    /**
     * The index of the first delimiter in {@code buf[from, end)}, or -1. Each position costs at most one
     * delimiter's length of comparisons, a bounded constant.
     */
    private int indexOfDelimiter(byte[] buf, int from, int end) {
        int last = end - delimiter.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (buf[i] != CR) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Takes header lines from {@code buf[pos, end)}; returns where it stopped. */
    private int parseHeaderLines(byte[] buf, int pos, int end) throws MultipartException {
        while (pos < end) {
            int lf = pos;
            while (lf < end && buf[lf] != LF) {
                lf++;
            }
            int take = (lf < end ? lf + 1 : end) - pos;
            headerBytes += take;
            if (headerBytes > options.maxPartHeaderSize()) {
                throw MultipartException.malformed("part headers exceed " + options.maxPartHeaderSize() + " bytes");
            }
            line.write(buf, pos, take);
            pos += take;
            if (lf == end) {
                return pos; // the line goes on in the next piece
            }
            byte[] bytes = line.toByteArray();
            line.reset();
            if (bytes.length < 2 || bytes[bytes.length - 2] != CR) {
                throw MultipartException.malformed("part header line not ended by CRLF");
            }
            if (bytes.length == 2) {
                startPart();
                return pos;
            }
            addHeader(bytes, bytes.length - 2);
        }
        return pos;
    }

    private void addHeader(byte[] bytes, int length) throws MultipartException {
        int colon = -1;
        for (int i = 0; i < length; i++) {
            byte b = bytes[i];
            if (b == CR || b == LF || b == 0) {
                throw MultipartException.malformed("control character in a part header");
            }
            if (colon < 0 && b == ':') {
                colon = i;
            }
        }
        if (colon <= 0 || bytes[0] == ' ' || bytes[0] == '\t') {
            throw MultipartException.malformed("part header line without a name");
        }
        String line = HeaderParameters.decode(Arrays.copyOf(bytes, length), StandardCharsets.UTF_8, "a part header");
        int at = line.indexOf(':');
        String name = line.substring(0, at).toLowerCase(java.util.Locale.ROOT);
        if (!name.chars().allMatch(MultipartParser::isTokenChar)) {
            throw MultipartException.malformed("part header name is not a token");
        }
        if (headers.putIfAbsent(name, line.substring(at + 1).strip()) != null) {
            throw MultipartException.malformed("repeated part header " + name);
        }
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private void startPart() throws MultipartException {
        String disposition = headers.get("content-disposition");
        if (disposition == null) {
            throw MultipartException.malformed("part without Content-Disposition");
        }
        HeaderParameters parsed = HeaderParameters.parse(disposition);
        if (!parsed.value().equals("form-data")) {
            throw MultipartException.malformed("part disposition is not form-data");
        }
        String name = parsed.parameters().get("name");
        if (name == null) {
            throw MultipartException.malformed("part without a name");
        }
        String filename = parsed.parameters().get("filename");
        String extended = parsed.parameters().get("filename*");
        if (extended != null) {
            filename = HeaderParameters.decodeExtendedValue(extended);
        }
        state = State.BODY;
        listener.partStarted(new PartHead(name, filename, headers.get("content-type"),
                Collections.unmodifiableMap(new LinkedHashMap<>(headers))));
    }
}
