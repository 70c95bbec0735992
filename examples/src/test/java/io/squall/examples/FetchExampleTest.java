package io.squall.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ./squall example fetch} over real sockets: the demo mode, and URLs given on the command line. */
class FetchExampleTest {
    private static final Pattern TOTAL = Pattern.compile("total: (\\d+\\.\\d\\d) s");

    private static List<String> run(List<String> urls, double[] total) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        total[0] = new FetchExample(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(urls);
        return buf.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static void assertTotalLine(String line, double total) {
        Matcher m = TOTAL.matcher(line);
        assertTrue(m.matches(), line);
        assertEquals(String.format(Locale.ROOT, "%.2f", total), m.group(1));
    }

    @Test
    void withoutUrlsFetchesTheDemoSleepThreeTimesAtOnce() {
        double[] total = new double[1];
        List<String> lines = run(List.of(), total);

        assertEquals(4, lines.size(), lines.toString());
        for (String line : lines.subList(0, 3)) {
            assertTrue(line.matches("200  12   1\\.\\d\\d s  http://127\\.0\\.0\\.1:\\d+/sleep"), line);
        }
        assertTotalLine(lines.get(3), total[0]);
        assertTrue(total[0] >= 1.0 && total[0] < 2.5, "three one-second fetches at once took " + total[0] + " s");
    }

    @Test
    void aNotFoundIsPrintedAndAFailureNamesItsException() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = "no such page".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String missing = "http://127.0.0.1:" + server.getAddress().getPort() + "/missing";
            double[] total = new double[1];
            List<String> lines = run(List.of(missing, "ftp://127.0.0.1/"), total);

            assertEquals(3, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("404  12   \\d\\.\\d\\d s  " + Pattern.quote(missing)), lines.get(0));
            assertTrue(lines.get(1).matches("ERR   -   \\d\\.\\d\\d s  ftp://127\\.0\\.0\\.1/  IllegalArgumentException: .+"),
                    lines.get(1));
            assertTotalLine(lines.get(2), total[0]);
        } finally {
            server.stop(0);
        }
    }
}
