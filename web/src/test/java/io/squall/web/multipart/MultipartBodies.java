package io.squall.web.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test support: writes multipart/form-data bodies, and parses them whole or in pieces into {@link Part}s. */
public final class MultipartBodies {
    private MultipartBodies() {}

    /** A part as written or as parsed. */
    public record Part(String name, String filename, String contentType, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Part p && name.equals(p.name) && java.util.Objects.equals(filename, p.filename)
                    && java.util.Objects.equals(contentType, p.contentType) && java.util.Arrays.equals(data, p.data);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return "Part[" + name + ", " + filename + ", " + contentType + ", " + data.length + " bytes]";
        }
    }

    /**
     * The body of {@code parts} with {@code boundary}, as a browser writes it (quotes and CR/LF percent-encoded),
     * and with backslashes escaped as quoted-pairs.
     */
    public static byte[] write(String boundary, List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            ascii(out, "--" + boundary + "\r\n");
            StringBuilder disposition = new StringBuilder("Content-Disposition: form-data; name=\"")
                    .append(quote(part.name())).append('"');
            if (part.filename() != null) {
                disposition.append("; filename=\"").append(quote(part.filename())).append('"');
            }
            out.writeBytes((disposition + "\r\n").getBytes(StandardCharsets.UTF_8));
            if (part.contentType() != null) {
                ascii(out, "Content-Type: " + part.contentType() + "\r\n");
            }
            ascii(out, "\r\n");
            out.writeBytes(part.data());
            ascii(out, "\r\n");
        }
        ascii(out, "--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Parses {@code body} fed in pieces of {@code step} bytes (at least 1). */
    static List<Part> parse(String boundary, byte[] body, int step, MultipartOptions options) throws MultipartException {
        Collector collector = new Collector();
        MultipartParser parser = new MultipartParser(boundary, options, collector);
        for (int at = 0; at < body.length; at += step) {
            parser.feed(body, at, Math.min(step, body.length - at));
        }
        parser.finish();
        return collector.parts;
    }

    /** Parses {@code body} in pieces split at the given ascending offsets. */
    static List<Part> parseSplit(String boundary, byte[] body, int[] cuts, MultipartOptions options) throws MultipartException {
        Collector collector = new Collector();
        MultipartParser parser = new MultipartParser(boundary, options, collector);
        int from = 0;
        for (int cut : cuts) {
            parser.feed(body, from, cut - from);
            from = cut;
        }
        parser.feed(body, from, body.length - from);
        parser.finish();
        return collector.parts;
    }

    /** Collects the parts, and counts the listener's calls. */
    static final class Collector implements MultipartParser.Listener {
        final List<Part> parts = new ArrayList<>();
        private PartHead head;
        private ByteArrayOutputStream data;
        long calls;

        @Override
        public void partStarted(PartHead head) {
            calls++;
            this.head = head;
            data = new ByteArrayOutputStream();
        }

        @Override
        public void partData(byte[] bytes, int offset, int length) {
            calls++;
            data.write(bytes, offset, length);
        }

        @Override
        public void partEnded() {
            calls++;
            parts.add(new Part(head.name(), head.filename(), head.contentType(), data.toByteArray()));
        }
    }
}
