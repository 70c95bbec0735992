package io.squall.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExampleProgramsTest {
    @Test
    void coroutinesExamplePrintsTornadosOutputInOrder() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new CoroutinesExample(new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        assertEquals(List.of(
                "it is simple routine",
                "routine_ur url0 took 1s to get!",
                "it is simple routine with return",
                "value from routine_simple_return",
                "routine_url_with_return url1 took 1s to get!",
                "('url1', 1)",
                "routine_url_with_return url2 took 2s to get!",
                "('url2', 2)"), buf.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void parallelExampleTakesTheLongestSleepNotTheSum() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<PyTuple> results = new ParallelExample(new PrintStream(buf, true, StandardCharsets.UTF_8), new Random(7)).run();
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();

        assertEquals(List.of("URL1", "URL2", "URL3"), results.stream().map(PyTuple::name).toList());
        assertEquals(5, lines.size(), lines.toString());
        // Each get_url prints as it finishes: in order of its sleep, shortest first.
        List<Integer> finishOrder = lines.subList(0, 3).stream().map(l -> {
            Matcher m = Pattern.compile("URL (URL\\d) took (\\d)s to get!").matcher(l);
            assertTrue(m.matches(), l);
            return Integer.parseInt(m.group(2));
        }).toList();
        assertEquals(finishOrder.stream().sorted().toList(), finishOrder);
        assertEquals(results.toString(), lines.get(3));

        Matcher total = Pattern.compile("total time: (\\d+\\.\\d\\d) seconds").matcher(lines.get(4));
        assertTrue(total.matches(), lines.get(4));
        double seconds = Double.parseDouble(total.group(1));
        int longest = results.stream().mapToInt(PyTuple::seconds).max().orElseThrow();
        int sum = results.stream().mapToInt(PyTuple::seconds).sum();
        assertTrue(seconds >= longest - 0.01, "took " + seconds + " s, longest sleep " + longest);
        assertTrue(seconds < sum, "took " + seconds + " s, sum of sleeps " + sum);
    }

    @Test
    void rawClientTakesTwoSecondsInTurnAndOneAtOnce() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        double[] times = new RawClientExample(new PrintStream(buf, true, StandardCharsets.UTF_8)).run();
        String out = buf.toString(StandardCharsets.UTF_8);

        assertEquals(4, out.split("Hello, world", -1).length - 1, out);
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "one after the other: use time: %.2f second(s)", times[0])), out);
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "two coroutines at once: use time: %.2f second(s)", times[1])), out);
        assertTrue(times[0] >= 2.0, "two one-second requests in turn take two seconds: " + times[0]);
        assertTrue(times[1] >= 1.0 && times[1] < times[0] - 0.5, "at once they overlap: " + times[1] + " vs " + times[0]);
    }
}
