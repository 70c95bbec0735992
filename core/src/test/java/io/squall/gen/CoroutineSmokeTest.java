package io.squall.gen;

import static io.squall.gen.Coroutines.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.ioloop.IOLoop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoroutineSmokeTest {
    @Test
    void modeIsTheExpectedOne() {
        String expected = System.getProperty("squall.test.expectedMode");
        if (expected != null) {
            assertEquals(CoroutineMode.valueOf(expected), Coroutines.mode());
        }
    }

    @Test
    void awaitSleepMultiAndInterleaving() {
        try (IOLoop loop = new IOLoop()) {
            String out = loop.runSync(() -> {
                StringBuilder sb = new StringBuilder();
                var a = spawn(() -> { for (int i = 0; i < 5; i++) { sb.append('a'); await(moment()); } });
                var b = spawn(() -> { for (int i = 0; i < 5; i++) { sb.append('b'); await(moment()); } });
                await(multi(List.of(a, b)));
                await(sleep(Duration.ofMillis(10)));
                return sb.toString();
            }, Duration.ofSeconds(5));
            assertEquals("ababababab", out);
        }
    }
}
