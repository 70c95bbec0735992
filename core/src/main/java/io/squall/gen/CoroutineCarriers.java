package io.squall.gen;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once per JVM how coroutines run, and creates their virtual threads.
 *
 * <p>JDK 25 has no public API for a virtual thread with a custom scheduler, but its
 * {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} constructor exists (the JDK's own
 * tests use it). With {@code java.lang} opened to us we call it, passing an executor that queues the
 * thread's continuation on its loop: {@link CoroutineMode#LOOP_CARRIER}. Otherwise, or when the system
 * property {@code squall.coroutines=hand-off} is set, we fall back to {@link CoroutineMode#HAND_OFF}.
 */
final class CoroutineCarriers {
    private static final Logger LOG = LoggerFactory.getLogger(CoroutineCarriers.class);
    static final CoroutineMode MODE;
    private static final MethodHandle LOOP_BUILDER;
    /**
     * The JDK's own virtual-thread scheduler. A virtual thread created inside a coroutine inherits the
     * coroutine's scheduler; the coroutine passes such foreign threads on to this one.
     */
    private static final Executor JDK_SCHEDULER;

    static {
        MethodHandle builder = null;
        Executor jdkScheduler = null;
        String reason = null;
        if ("hand-off".equals(System.getProperty("squall.coroutines"))) {
            reason = "the system property squall.coroutines=hand-off asks for it";
        } else {
            try {
                Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                builder = lookup.findConstructor(type, MethodType.methodType(void.class, Executor.class))
                        .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
                Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
                jdkScheduler = (Executor) MethodHandles.privateLookupIn(virtualThread, MethodHandles.lookup())
                        .findStaticVarHandle(virtualThread, "DEFAULT_SCHEDULER", ForkJoinPool.class).get();
                Thread probe = ((Thread.Builder.OfVirtual) builder.invokeExact((Executor) Runnable::run)).unstarted(() -> {});
                probe.start();
                probe.join();
            } catch (Throwable t) {
                builder = null;
                jdkScheduler = null;
                reason = t.toString();
            }
        }
        LOOP_BUILDER = builder;
        JDK_SCHEDULER = jdkScheduler;
        MODE = builder != null ? CoroutineMode.LOOP_CARRIER : CoroutineMode.HAND_OFF;
        if (builder == null) {
            LOG.warn("Squall coroutines run in hand-off mode ({}); start the JVM with "
                    + "{} for ~50x faster await on the loop thread", reason, fastModeFlag());
        }
    }

    private CoroutineCarriers() {}

    /**
     * The JVM option that enables the fast mode for Squall as this JVM loaded it: {@code java.lang}
     * opened to Squall's module on the module path, to every class-path class otherwise.
     */
    static String fastModeFlag() {
        Module module = CoroutineCarriers.class.getModule();
        return "--add-opens java.base/java.lang=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }

    /**
     * Schedules the continuation of a virtual thread that was created inside a coroutine, and so
     * inherited that coroutine as its scheduler, on the JDK's scheduler where it belongs (loop-carrier
     * mode only). Never blocks.
     */
    static void scheduleForeign(Runnable runContinuation) {
        JDK_SCHEDULER.execute(runContinuation);
    }

    /**
     * A new, unstarted virtual thread running {@code body} whose scheduler is {@code scheduler}: in
     * {@link CoroutineMode#LOOP_CARRIER} mode only.
     */
    static Thread loopCarrierThread(Executor scheduler, Runnable body) {
        try {
            return ((Thread.Builder.OfVirtual) LOOP_BUILDER.invokeExact(scheduler)).unstarted(body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a coroutine thread", t);
        }
    }

    /** A new, unstarted virtual thread of the JDK's scheduler running {@code body}, for {@link CoroutineMode#HAND_OFF} mode. */
    static Thread handOffThread(Runnable body) {
        return Thread.ofVirtual().name("squall-coroutine").unstarted(body);
    }
}
