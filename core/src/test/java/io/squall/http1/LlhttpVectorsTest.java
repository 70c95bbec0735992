package io.squall.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.squall.http.HttpHeaders;
import io.squall.http.HttpInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every test vector of llhttp (the HTTP/1 parser of Node.js) from
 * the test resource {@code llhttp/vectors.json} (MIT, with its licence beside it), against {@link HttpParser} and
 * {@link ChunkedDecoder}, and compares the verdict (accept or reject) and, for accepted input, every parsed
 * message: start line, header fields, body and trailers.
 *
 * <p><b>How a vector is replayed.</b> Like a connection would: skip empty lines, find the end of the head
 * ({@link HttpParser#findHeadEnd}), parse it, read the body as its framing says (Content-Length bytes, a
 * {@link ChunkedDecoder}, or the rest of the input for a response read until close), and go on with the
 * next message of a pipelined input, until the input ends, a message closes the connection (keep-alive
 * off), or one switches protocols (CONNECT, {@code Connection: upgrade} with an {@code Upgrade} header,
 * 101). A message whose head or body the input cuts short is incomplete, as in llhttp, which is not told
 * that the input ended.
 *
 * <p><b>Normalisations</b>, where llhttp's log and our API differ in form, not substance:
 * <ul>
 *   <li>llhttp keeps trailing whitespace in header values; RFC 9110 §5.5 excludes it, so it is trimmed from
 *       llhttp's values before comparing.</li>
 *   <li>llhttp's "Data after {@code Connection: close}" error means the message was complete and then the
 *       connection should close; the replay does the same and stops, so it counts as acceptance. Its
 *       "Pause on CONNECT/Upgrade" is acceptance followed by a protocol switch; its "Pause on PRI/Upgrade"
 *       (an HTTP/2 preface) is a rejection for an HTTP/1.1 parser.</li>
 *   <li>llhttp reports an error as soon as the offending byte arrives, while we parse a head once it is
 *       whole; when a vector stops in the middle of a head llhttp rejected, the partial head is judged as
 *       if an empty line ended it.</li>
 *   <li>Most llhttp vectors are HTTP/1.1 requests without a Host header, which RFC 9112 §3.2 requires us to
 *       reject with 400. Those are listed in {@link #MISSING_HOST}; the replay checks that we reject them
 *       for that reason, then parses them again with a {@code Host} header added after the request line
 *       (left out of the comparison), so that everything else in them is still compared.</li>
 * </ul>
 *
 * <p>Every remaining disagreement is pinned in {@link #EXPECTED_DISAGREEMENTS} with its reason; a pinned
 * vector that starts agreeing fails the test too, so the table stays exact. The lenient-mode and
 * end-of-input vectors of llhttp test options we do not have; for them the test checks that nothing but
 * {@link HttpInputException} escapes, and pins our verdict in {@link #NON_STRICT_VERDICTS}.
 */
class LlhttpVectorsTest {
    private static final HttpParser PARSER = new HttpParser();
    private static final String INJECTED_HOST = "vectors.test";
    private static final byte[] EMPTY_LINE = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** llhttp error codes that mean "the message was fine, now stop": closed connection, upgrade. */
    private static final int LLHTTP_CLOSED_CONNECTION = 5;
    private static final int LLHTTP_PAUSED_UPGRADE = 22;

    /** HTTP/1.1 requests without Host: we answer 400 (RFC 9112 §3.2); llhttp does not check Host. */
    private static final Set<String> MISSING_HOST = Set.of(
            "request/connection.md:10", "request/connection.md:38", "request/connection.md:240",
            "request/connection.md:268", "request/connection.md:457", "request/connection.md:546",
            "request/connection.md:683", "request/connection.md:717", "request/content-length.md:8",
            "request/content-length.md:45", "request/content-length.md:294", "request/content-length.md:321",
            "request/content-length.md:448", "request/invalid.md:360", "request/method.md:8",
            "request/pausing.md:8", "request/pausing.md:38", "request/pausing.md:68", "request/pausing.md:98",
            "request/pausing.md:128", "request/pausing.md:158", "request/pausing.md:188", "request/pausing.md:218",
            "request/pausing.md:248", "request/pausing.md:278", "request/pausing.md:317", "request/pausing.md:359",
            "request/pausing.md:402", "request/pipelining.md:8", "request/sample.md:10", "request/sample.md:48",
            "request/sample.md:172", "request/sample.md:200", "request/sample.md:223", "request/sample.md:295",
            "request/sample.md:482", "request/sample.md:512", "request/sample.md:542",
            "request/transfer-encoding.md:10", "request/transfer-encoding.md:37", "request/transfer-encoding.md:74",
            "request/transfer-encoding.md:111", "request/transfer-encoding.md:148",
            "request/transfer-encoding.md:190", "request/transfer-encoding.md:242",
            "request/transfer-encoding.md:370", "request/transfer-encoding.md:428",
            "request/transfer-encoding.md:881", "request/transfer-encoding.md:915",
            "request/transfer-encoding.md:1188", "request/uri.md:8", "request/uri.md:33", "request/uri.md:56",
            "request/uri.md:79", "request/uri.md:106", "request/uri.md:129", "request/uri.md:169",
            "request/uri.md:226");

    private static final String NOT_HTTP = "llhttp also parses RTSP and ICE (SHOUTcast); an HTTP parser "
            + "rejects another protocol";
    private static final String ANY_TOKEN_METHOD = "llhttp knows a fixed list of methods; for us any token is a "
            + "method (RFC 9110 §9.1) and an unknown one is for the application to refuse (405/501)";
    private static final String ONLY_CHUNKED = "we accept a lone \"chunked\" only, like Tornado: we cannot decode "
            + "other transfer codings, and lists of codings are where parsers disagree (RFC 9112 §6.1 also "
            + "allows 501; we answer 400)";
    private static final String RESPONSE_BARE_LF = "llhttp's strict mode rejects bare LF line endings; RFC 9112 §2.2 "
            + "lets a recipient accept them and a client should (Tornado's does), so the response parser does";
    private static final String RESPONSE_CODINGS = "RFC 9112 §6.3 reads a response whose last transfer coding is "
            + "not chunked until close, as llhttp does; like Tornado's client we refuse codings we cannot "
            + "decode rather than hand over a body still encoded";

    /** Strict-mode vectors where we knowingly differ from llhttp, with the reason. */
    private static final Map<String, String> EXPECTED_DISAGREEMENTS = Map.ofEntries(
            Map.entry("request/content-length.md:448", "llhttp's harness skipped the body (on_headers_complete "
                    + "returned 1, as for the answer to HEAD); a server reads a request's Content-Length body, "
                    + "here the next request's 44 bytes of a declared 123, so the message stays incomplete"),
            Map.entry("request/invalid.md:70", ANY_TOKEN_METHOD + " (ANNOUNCE with HTTP/1.0)"),
            Map.entry("request/invalid.md:360", ANY_TOKEN_METHOD + " (MKCOLA)"),
            Map.entry("request/method.md:100", "CONNECT with Content-Length: 10: llhttp ignores the length and "
                    + "switches to the tunnel; RFC 9110 §9.3.6 says a CONNECT request has no content, and both "
                    + "honouring and ignoring the length risk a desync, so we answer 400"),
            Map.entry("request/method.md:139", "M-SEARCH * (SSDP): RFC 9112 §3.2.4 keeps the asterisk-form for "
                    + "OPTIONS, so we answer 400"),
            Map.entry("request/method.md:376", NOT_HTTP + " (SOURCE ... ICE/1.0)"),
            Map.entry("request/method.md:406", NOT_HTTP + " (OPTIONS ... RTSP/1.0)"),
            Map.entry("request/method.md:434", NOT_HTTP + " (ANNOUNCE ... RTSP/1.0)"),
            Map.entry("request/sample.md:318", "\"GET /\" without a version is HTTP/0.9, which RFC 9112 no longer "
                    + "defines; we answer 400 like Tornado"),
            Map.entry("request/transfer-encoding.md:755", ONLY_CHUNKED + " (deflate, chunked)"),
            Map.entry("request/transfer-encoding.md:797", ONLY_CHUNKED + " (deflate, then chunked on a second line)"),
            Map.entry("response/invalid.md:291", RESPONSE_BARE_LF),
            Map.entry("response/invalid.md:331", RESPONSE_BARE_LF),
            Map.entry("response/sample.md:334", RESPONSE_BARE_LF),
            Map.entry("response/sample.md:44", NOT_HTTP + " (RTSP/1.1 200 OK)"),
            Map.entry("response/sample.md:64", NOT_HTTP + " (ICE/1.1 200 OK)"),
            Map.entry("response/sample.md:649", "HTTP/0.9 had no status line, so \"HTTP/0.9 200 OK\" is bogus; "
                    + "we accept HTTP/1.x only, like Tornado's client"),
            Map.entry("response/transfer-encoding.md:47", RESPONSE_CODINGS + " (chunked, deflate)"),
            Map.entry("response/transfer-encoding.md:78", RESPONSE_CODINGS + " (chunked, then identity)"),
            Map.entry("response/transfer-encoding.md:116", RESPONSE_CODINGS + " (chunkedchunked)"));

    /**
     * Our verdict (see {@link #verdict}) on llhttp's lenient-mode and end-of-input vectors. Requests get no
     * leniency from us: obs-fold, bare CR or LF, control characters in values, CL with TE, codings other
     * than chunked, unknown versions and sloppy chunk framing are all rejected, whatever llhttp's flag
     * allows. Responses get the leniency RFC 9112 gives clients: bare LF (lenient-all and
     * optional-cr-before-lf vectors) is accepted; a bare CR is not. Data after a closing message is ignored:
     * the connection closes (keep-alive and data-after-close vectors). End-of-input vectors: a cut-off head
     * is incomplete (or rejected once whole), a response read until close has simply not ended yet.
     */
    private static final Map<String, String> NON_STRICT_VERDICTS = Map.ofEntries(
            Map.entry("request/connection.md:114", "accept"),
            Map.entry("request/connection.md:398", "accept"),
            Map.entry("request/connection.md:485", "reject"),
            Map.entry("request/connection.md:580", "reject"),
            Map.entry("request/connection.md:641", "reject"),
            Map.entry("request/content-length.md:193", "reject"),
            Map.entry("request/content-length.md:233", "reject"),
            Map.entry("request/content-length.md:523", "reject at head end"),
            Map.entry("request/finish.md:10", "missing Host, accept"),
            Map.entry("request/finish.md:34", "incomplete"),
            Map.entry("request/finish.md:59", "reject at head end"),
            Map.entry("request/invalid.md:185", "reject at head end"),
            Map.entry("request/invalid.md:572", "reject"),
            Map.entry("request/invalid.md:691", "reject"),
            Map.entry("request/lenient-header-value-relaxed.md:14", "reject"),
            Map.entry("request/lenient-header-value-relaxed.md:72", "reject"),
            Map.entry("request/lenient-header-value-relaxed.md:107", "reject"),
            Map.entry("request/lenient-header-value-relaxed.md:142", "reject at head end"),
            Map.entry("request/lenient-headers.md:10", "reject"),
            Map.entry("request/lenient-headers.md:38", "missing Host, reject"),
            Map.entry("request/lenient-headers.md:113", "reject"),
            Map.entry("request/lenient-version.md:8", "reject"),
            Map.entry("request/sample.md:337", "reject"),
            Map.entry("request/sample.md:459", "reject at head end"),
            Map.entry("request/sample.md:577", "reject"),
            Map.entry("request/transfer-encoding.md:540", "reject"),
            Map.entry("request/transfer-encoding.md:684", "reject"),
            Map.entry("request/transfer-encoding.md:717", "reject"),
            Map.entry("request/transfer-encoding.md:946", "reject"),
            Map.entry("request/transfer-encoding.md:1030", "reject"),
            Map.entry("request/transfer-encoding.md:1145", "reject"),
            Map.entry("request/transfer-encoding.md:1219", "missing Host, reject"),
            Map.entry("response/connection.md:197", "accept"),
            Map.entry("response/connection.md:264", "accept"),
            Map.entry("response/finish.md:10", "accept"),
            Map.entry("response/invalid.md:155", "reject"),
            Map.entry("response/invalid.md:308", "accept"),
            Map.entry("response/invalid.md:352", "accept"),
            Map.entry("response/lenient-version.md:8", "reject"),
            Map.entry("response/sample.md:355", "accept"),
            Map.entry("response/transfer-encoding.md:393", "reject"));

    private static final AtomicInteger AGREED = new AtomicInteger();
    private static final AtomicInteger PINNED = new AtomicInteger();

    @TestFactory
    Stream<DynamicTest> strictRequestVectors() throws IOException {
        return vectors("request").map(v -> DynamicTest.dynamicTest(v.key() + " " + v.name(), () -> check(v)));
    }

    @TestFactory
    Stream<DynamicTest> strictResponseVectors() throws IOException {
        return vectors("response").map(v -> DynamicTest.dynamicTest(v.key() + " " + v.name(), () -> check(v)));
    }

    @TestFactory
    Stream<DynamicTest> nonStrictVectors() throws IOException {
        return loadVectors().stream()
                .filter(v -> !v.type().equals("request") && !v.type().equals("response"))
                .map(v -> DynamicTest.dynamicTest(v.key() + " [" + v.type() + "] " + v.name(), () -> {
                    Replay ours = replay(v);
                    assertEquals(NON_STRICT_VERDICTS.get(v.key()), verdict(ours),
                            "our verdict on " + v.key() + " (" + describe(ours) + ")");
                }));
    }

    @Test
    void pinsNameExistingVectorsOfTheRightKind() throws IOException {
        Set<String> strict = new HashSet<>();
        Set<String> nonStrict = new HashSet<>();
        for (Vector v : loadVectors()) {
            (v.type().equals("request") || v.type().equals("response") ? strict : nonStrict).add(v.key());
        }
        assertEquals(251, strict.size() + nonStrict.size(), "vector count");
        assertTrue(strict.containsAll(MISSING_HOST), "MISSING_HOST names unknown vectors");
        assertTrue(strict.containsAll(EXPECTED_DISAGREEMENTS.keySet()), "disagreements name unknown vectors");
        assertEquals(nonStrict, NON_STRICT_VERDICTS.keySet(), "a verdict for each non-strict vector");
    }

    @AfterAll
    static void summary() {
        System.out.printf("llhttp strict vectors: %d agree, %d pinned disagreements%n", AGREED.get(), PINNED.get());
    }

    private static void check(Vector v) {
        Replay ours = replay(v);
        Llhttp theirs = Llhttp.parse(v);
        assertEquals(MISSING_HOST.contains(v.key()), ours.hostInjected(),
                v.key() + " is listed in MISSING_HOST iff we reject it for lacking a Host header");
        String disagreement = compare(theirs, ours);
        String pinned = EXPECTED_DISAGREEMENTS.get(v.key());
        if (disagreement == null) {
            if (pinned != null) {
                fail("pinned as a disagreement (" + pinned + ") but now agrees with llhttp: unpin it");
            }
            AGREED.incrementAndGet();
        } else if (pinned == null) {
            fail("disagreement with llhttp on " + v.key() + ": " + disagreement);
        } else {
            PINNED.incrementAndGet();
        }
    }

    /** Null if we agree with llhttp, otherwise what differs. */
    private static String compare(Llhttp theirs, Replay ours) {
        boolean theyReject = theirs.rejected();
        boolean weReject = ours.end() == End.REJECTED
                || (theyReject && ours.end() == End.INCOMPLETE_HEAD && ours.probeError() != null);
        if (theyReject != weReject) {
            return theyReject
                    ? "llhttp rejects (" + theirs.error() + ") but we accept: " + describe(ours)
                    : "llhttp accepts but we reject: " + describe(ours);
        }
        List<Message> theirMessages = theirs.messages();
        List<Message> ourMessages = ours.messages();
        if (theyReject) {
            theirMessages = theirMessages.stream().filter(Message::complete).toList();
            ourMessages = ourMessages.stream().filter(Message::complete).toList();
        }
        if (!theirMessages.equals(ourMessages)) {
            return "messages differ:\n  llhttp: " + theirMessages + "\n  ours:   " + ourMessages;
        }
        return null;
    }

    /**
     * Our verdict in a word or two: accept, reject, incomplete (the input stops inside a head), or "reject
     * at head end" (it stops inside a head we will reject once it is whole); prefixed with "missing Host,"
     * when the replay had to add a Host header to get that far.
     */
    private static String verdict(Replay ours) {
        String verdict = switch (ours.end()) {
            case REJECTED -> "reject";
            case INCOMPLETE_HEAD -> ours.probeError() == null ? "incomplete" : "reject at head end";
            default -> "accept";
        };
        return ours.hostInjected() ? "missing Host, " + verdict : verdict;
    }

    private static String describe(Replay ours) {
        return ours.end() + (ours.error() != null ? " " + ours.error() : "")
                + (ours.probeError() != null ? " (partial head: " + ours.probeError() + ")" : "")
                + " after " + ours.messages();
    }

    // ---------------------------------------------------------------- our side: replay like a connection

    /** How a replay stopped. */
    enum End { INPUT_CONSUMED, INCOMPLETE_HEAD, CLOSE, UPGRADE, REJECTED }

    /**
     * The messages parsed (the last one possibly incomplete), how the replay ended, the error that ended it,
     * whether a Host header had to be added, and what parsing a cut-off head as if complete gave.
     */
    record Replay(List<Message> messages, End end, HttpInputException error, boolean hostInjected,
            HttpInputException probeError) {}

    private static Replay replay(Vector v) {
        boolean requests = v.type().startsWith("request");
        String method = v.meta().path("skipBody").asBoolean(false) ? "HEAD" : "GET";
        byte[] in = v.input();
        List<Message> messages = new ArrayList<>();
        boolean[] injected = {false};
        int pos = 0;
        while (true) {
            pos = HttpParser.skipEmptyLines(in, pos, in.length - pos, !requests);
            if (pos == in.length) {
                return new Replay(messages, End.INPUT_CONSUMED, null, injected[0], null);
            }
            int headEnd = HttpParser.findHeadEnd(in, pos, in.length - pos, true);
            if (headEnd < 0) {
                byte[] probe = concat(Arrays.copyOfRange(in, pos, in.length), EMPTY_LINE);
                HttpInputException probeError = null;
                try {
                    int probeEnd = HttpParser.findHeadEnd(probe, 0, probe.length, true);
                    parseHead(requests, method, probe, 0, probeEnd, new boolean[1]);
                } catch (HttpInputException e) {
                    probeError = e;
                }
                return new Replay(messages, End.INCOMPLETE_HEAD, null, injected[0], probeError);
            }
            Head head;
            try {
                head = parseHead(requests, method, in, pos, headEnd, injected);
            } catch (HttpInputException e) {
                return new Replay(messages, End.REJECTED, e, injected[0], null);
            }
            pos = headEnd;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean complete;
            ChunkedDecoder decoder = null;
            switch (head.framing()) {
                case BodyFraming.None none -> complete = true;
                case BodyFraming.ContentLength(long length) -> {
                    int n = (int) Math.min(length, in.length - pos);
                    body.write(in, pos, n);
                    pos += n;
                    complete = n == length;
                }
                case BodyFraming.Chunked chunked -> {
                    decoder = new ChunkedDecoder(Long.MAX_VALUE, data -> body.write(bytes(data), 0, data.limit()));
                    try {
                        pos += decoder.feed(in, pos, in.length - pos);
                    } catch (HttpInputException e) {
                        return new Replay(messages, End.REJECTED, e, injected[0], null);
                    }
                    complete = decoder.isDone();
                }
                case BodyFraming.UntilClose untilClose -> {
                    body.write(in, pos, in.length - pos);
                    pos = in.length;
                    complete = false;
                }
            }
            List<String> trailers = decoder == null ? List.of() : fields(decoder.trailers());
            messages.add(new Message(head.startLine(), head.fields(), body.toString(StandardCharsets.ISO_8859_1),
                    trailers, complete));
            if (!complete) {
                return new Replay(messages, End.INPUT_CONSUMED, null, injected[0], null);
            }
            if (head.upgrade()) {
                return new Replay(messages, End.UPGRADE, null, injected[0], null);
            }
            if (!head.keepAlive()) {
                return new Replay(messages, End.CLOSE, null, injected[0], null);
            }
        }
    }

    /** What the replay needs from a parsed request or response head. */
    private record Head(String startLine, List<String> fields, BodyFraming framing, boolean keepAlive,
            boolean upgrade) {}

    private static Head parseHead(boolean request, String method, byte[] buf, int from, int to, boolean[] injected) {
        if (!request) {
            ParsedResponseHead head = PARSER.parseResponseHead(buf, from, to - from, method);
            return new Head(head.startLine().toString(), fields(head.headers()), head.framing(), head.keepAlive(),
                    head.startLine().code() == 101);
        }
        ParsedRequestHead head;
        try {
            head = PARSER.parseRequestHead(buf, from, to - from);
        } catch (HttpInputException e) {
            if (!e.getMessage().contains("missing Host header")) {
                throw e;
            }
            injected[0] = true;
            head = PARSER.parseRequestHead(withHost(Arrays.copyOfRange(buf, from, to)));
        }
        HttpHeaders headers = head.headers();
        boolean upgrade = head.startLine().method().equals("CONNECT")
                || (headers.containsToken("Connection", "upgrade") && headers.contains("Upgrade"));
        return new Head(head.startLine().toString(), fields(headers), head.framing(), head.keepAlive(), upgrade);
    }

    /** The head with {@code Host: vectors.test} added after its request line. */
    private static byte[] withHost(byte[] head) {
        int lineStart = HttpParser.skipEmptyLines(head, 0, head.length, false);
        int lf = lineStart;
        while (head[lf] != '\n') {
            lf++;
        }
        byte[] host = ("Host: " + INJECTED_HOST + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return concat(Arrays.copyOfRange(head, 0, lf + 1), host, Arrays.copyOfRange(head, lf + 1, head.length));
    }

    private static List<String> fields(HttpHeaders headers) {
        List<String> fields = new ArrayList<>();
        headers.forEach((name, value) -> {
            if (!(name.equals("Host") && value.equals(INJECTED_HOST))) {
                fields.add(name + ": " + value);
            }
        });
        return fields;
    }

    private static byte[] bytes(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- llhttp's side: its event log

    /**
     * One message as both sides see it.
     *
     * @param startLine {@code GET /url HTTP/1.1} or {@code HTTP/1.1 200 OK}
     * @param fields {@code Name: value}, in order
     * @param body the body bytes as ISO-8859-1
     * @param trailers the trailer fields of a chunked body
     * @param complete whether the whole message was read
     */
    record Message(String startLine, List<String> fields, String body, List<String> trailers, boolean complete) {}

    /** llhttp's verdict and messages (complete ones, then one it had read the head of, if any). */
    record Llhttp(List<Message> messages, boolean rejected, String error) {
        static Llhttp parse(Vector v) {
            List<Message> messages = new ArrayList<>();
            LogMessage current = null;
            for (String line : v.log().split("\n")) {
                if (!line.startsWith("off=") || line.startsWith("off=NULL")) {
                    continue;
                }
                String event = line.substring(line.indexOf(' ') + 1);
                if (event.equals("message begin")) {
                    current = new LogMessage();
                } else if (event.equals("message complete")) {
                    messages.add(Objects.requireNonNull(current).build(true));
                    current = null;
                } else if (current != null) {
                    current.event(event);
                }
            }
            if (current != null && current.headersDone) {
                messages.add(current.build(false));
            }
            if (v.ok()) {
                return new Llhttp(messages, false, null);
            }
            int code = v.errorCode();
            boolean stopped = code == LLHTTP_CLOSED_CONNECTION || code == LLHTTP_PAUSED_UPGRADE;
            return new Llhttp(messages, !stopped, v.errorReason());
        }
    }

    /** Accumulates the spans of one message of llhttp's log. */
    private static final class LogMessage {
        private final StringBuilder span = new StringBuilder();
        private final StringBuilder body = new StringBuilder();
        private final List<String> fields = new ArrayList<>();
        private final List<String> trailers = new ArrayList<>();
        private String method = "";
        private String url = "";
        private String protocol = "HTTP";
        private String version = "";
        private String reason = "";
        private String status = "";
        private String fieldName = "";
        private boolean headersDone;

        void event(String event) {
            if (event.startsWith("len=")) {
                int open = event.indexOf("]=");
                String type = event.substring(event.indexOf("span[") + 5, open);
                String raw = event.substring(open + 2);
                String value = switch (raw) {
                    case "lf" -> "\n";
                    case "cr" -> "\r";
                    // The log escapes tab and form feed only (quotes and backslashes appear as they are).
                    default -> raw.substring(1, raw.length() - 1).replace("\\t", "\t").replace("\\f", "\f");
                };
                if (type.equals("body")) {
                    body.append(value);
                } else {
                    span.append(value);
                }
                return;
            }
            if (event.startsWith("headers complete")) {
                headersDone = true;
                for (String part : event.split(" ")) {
                    if (part.startsWith("v=")) {
                        version = part.substring(2).replace('/', '.');
                    } else if (part.startsWith("status=")) {
                        status = part.substring(7);
                    }
                }
                return;
            }
            if (!event.endsWith(" complete")) {
                return; // chunk header, chunk complete, reset, pause, skip body
            }
            String value = span.toString();
            span.setLength(0);
            switch (event.substring(0, event.length() - " complete".length())) {
                case "method" -> method = value;
                case "url" -> url = value;
                case "protocol" -> protocol = value;
                case "status" -> reason = value;
                case "header_field" -> fieldName = value;
                case "header_value" -> {
                    String field = fieldName + ": " + value.replaceAll("[ \t]+$", "");
                    (headersDone ? trailers : fields).add(field);
                }
                default -> { } // version (taken from "headers complete"), chunk extensions
            }
        }

        Message build(boolean complete) {
            String startLine = status.isEmpty()
                    ? method + ' ' + url + ' ' + protocol + '/' + version
                    : protocol + '/' + version + ' ' + status + ' ' + reason;
            return new Message(startLine, List.copyOf(fields), body.toString(), List.copyOf(trailers), complete);
        }
    }

    // ---------------------------------------------------------------- the vectors file

    /**
     * One llhttp vector.
     *
     * @param key {@code file:line} in llhttp's test fixtures
     */
    record Vector(String key, String type, String name, JsonNode meta, byte[] input, boolean ok, int errorCode,
            String errorReason, String log) {}

    private static List<Vector> cache;

    private static Stream<Vector> vectors(String type) throws IOException {
        return loadVectors().stream().filter(v -> v.type().equals(type));
    }

    private static synchronized List<Vector> loadVectors() throws IOException {
        if (cache == null) {
            List<Vector> vectors = new ArrayList<>();
            JsonNode all;
            try (var in = LlhttpVectorsTest.class.getResourceAsStream("/llhttp/vectors.json")) {
                if (in == null) {
                    fail("test resource llhttp/vectors.json is missing");
                }
                all = new ObjectMapper().readTree(in);
            }
            for (JsonNode node : all) {
                vectors.add(new Vector(node.get("file").asText() + ":" + node.get("line").asInt(),
                        node.get("type").asText(), node.get("name").asText(), node.get("meta"),
                        Base64.getDecoder().decode(node.get("input_b64").asText()),
                        node.get("expect").asText().equals("ok"), node.path("error_code").asInt(-1),
                        node.path("error_reason").asText(""), node.get("log").asText()));
            }
            cache = vectors;
        }
        return cache;
    }

}
