package io.squall.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class (or one method) the way Tornado's {@code AsyncTestCase} with {@code gen_test}
 * does, through {@link SquallExtension}:
 *
 * <ul>
 *   <li>a fresh {@link io.squall.ioloop.IOLoop} per test, closed afterwards with its channels; test methods
 *       take it as a parameter ({@link LogCapture} too: everything {@code io.squall} logged in the test);</li>
 *   <li>{@code @Test}, {@code @BeforeEach} and {@code @AfterEach} methods run as coroutines on that loop
 *       (they may {@code await}), each failing after {@link #timeoutSeconds()} with a message saying so;</li>
 *   <li>an ERROR logged by Squall during the test fails it, unless an {@link ExpectLog} swallowed it
 *       (access-log ERRORs, the 5xx responses, are left to the test's status checks).</li>
 * </ul>
 *
 * <pre>{@code
 * @SquallTest
 * class GreetingTest {
 *     @Test
 *     void greets(IOLoop loop) {
 *         try (TestServer server = TestServer.start(new GreetingApp())) {
 *             assertEquals("hello", server.fetch("/").body());
 *         }
 *     }
 * }
 * }</pre>
 *
 * On a method, it overrides the class's time limit.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SquallExtension.class)
public @interface SquallTest {
    /** How long each test (and each before/after method) may run on the loop; Tornado's default is 5. */
    long timeoutSeconds() default 10;
}
