package io.squall.testing;

import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import ch.qos.logback.classic.Level;
import io.squall.concurrent.Future;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.slf4j.LoggerFactory;

/**
 * What {@link SquallTest} fails: sample classes (nested, so the build's own run skips them) run through
 * JUnit's engine test kit, from a plain test (not itself on a loop).
 */
class SquallExtensionFailuresTest {
    @Test
    void aTestThatOverrunsItsLimitFailsSayingSo() {
        Events tests = run(Overrunning.class);
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = failureOf(tests);
        assertTrue(failure.getMessage().contains("did not finish within 1000 ms"), failure.getMessage());
        assertEquals(List.of(), List.of(failure.getSuppressed()), "the cancelled test logged errors");
    }

    @Test
    void anUnexpectedSquallErrorFailsTheTest() {
        Events tests = run(LoggingAnError.class);
        tests.assertStatistics(stats -> stats.started(3).succeeded(1).failed(2));
        tests.failed().stream().map(e -> e.getPayload(TestExecutionResult.class)
                        .orElseThrow().getThrowable().orElseThrow().getMessage())
                .forEach(message -> assertTrue(message.contains("Squall logged ERRORs"), message));
    }

    @Test
    void checkedExceptionsOfTheTestAreRethrownAsThemselves() {
        Events tests = run(ThrowingChecked.class);
        assertInstanceOf(IOException.class, failureOf(tests));
    }

    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
    }

    private static Throwable failureOf(Events tests) {
        return tests.failed().stream().findFirst().orElseThrow()
                .getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    // Samples run by the tests above (nested: the build's own test run skips them).

    @SquallTest(timeoutSeconds = 1)
    static class Overrunning {
        @Test
        void waitsForever() {
            await(new Future<Void>());
        }
    }

    @SquallTest
    static class LoggingAnError {
        @Test
        void logsAnError() {
            SquallExtensionTest.SQUALL_LOG.error("boom");
        }

        @Test
        void logsAnErrorThatAnExpectLogDoesNotMatch() {
            try (ExpectLog expect = ExpectLog.optional(SquallExtensionTest.SQUALL_LOG.getName(), Level.ERROR, "other")) {
                SquallExtensionTest.SQUALL_LOG.error("boom");
            }
        }

        @Test
        void logsAnErrorOutsideSquall() {
            LoggerFactory.getLogger("com.example").error("not Squall's");
        }
    }

    @SquallTest
    static class ThrowingChecked {
        @Test
        void throwsIOException() throws IOException {
            throw new IOException("checked");
        }
    }
}
