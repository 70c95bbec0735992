package io.squall.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.squall.ioloop.IOLoop;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link SquallTest}: see there for what it does. Register it with
 * {@code @SquallTest} (or {@code @ExtendWith(SquallExtension.class)}, which uses the default time limit).
 */
public final class SquallExtension
        implements BeforeEachCallback, AfterEachCallback, ParameterResolver, InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SquallExtension.class);
    private static final long DEFAULT_TIMEOUT_SECONDS = 10;

    /** Made by JUnit. */
    public SquallExtension() {}

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(LogCapture.class, LogCapture.start());
        store.put(TestLoop.class, new TestLoop());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        LogCapture logs = store.remove(LogCapture.class, LogCapture.class);
        try (logs) {
            store.remove(TestLoop.class, TestLoop.class).close();
        }
        assertEquals(List.of(), logs.errorsExceptAccessLog(),
                "Squall logged ERRORs during the test (wrap what is expected in an ExpectLog)");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == IOLoop.class || type == LogCapture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == IOLoop.class ? testLoop(context).loop() : context.getStore(NAMESPACE).get(LogCapture.class);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
                                    ExtensionContext context) throws Throwable {
        runOnLoop(invocation, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
                                          ExtensionContext context) throws Throwable {
        runOnLoop(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> method,
                                         ExtensionContext context) throws Throwable {
        runOnLoop(invocation, context);
    }

    private static void runOnLoop(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        try {
            testLoop(context).run(() -> {
                try {
                    invocation.proceed();
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new CompletionException(t);
                }
            }, timeout(context));
        } catch (CompletionException e) { // a checked exception of the test, wrapped by runSync
            throw e.getCause() == null ? e : e.getCause();
        }
    }

    private static TestLoop testLoop(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(TestLoop.class, TestLoop.class);
    }

    /** The method's {@code @SquallTest} limit, else the nearest class's, else the default. */
    private static Duration timeout(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            var limit = c.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, SquallTest.class));
            if (limit.isPresent()) {
                return Duration.ofSeconds(limit.get().timeoutSeconds());
            }
        }
        return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    }
}
