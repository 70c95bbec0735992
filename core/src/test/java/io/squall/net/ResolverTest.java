package io.squall.net;

import static io.squall.gen.Coroutines.await;
import static io.squall.net.NetTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link DefaultResolver} against the real JDK resolver, and {@link OverrideResolver}'s mapping rules. */
class ResolverTest extends AsyncTestCase {


    @AfterEach
    void noConnectionClosedUnexpectedly() {
    }


    private static UnknownHostException unknownHost(Future<?> f) {
        CompletionException e = assertThrows(CompletionException.class, () -> await(f));
        return assertInstanceOf(UnknownHostException.class, e.getCause());
    }

    private static InetSocketAddress at(InetAddress address, int port) {
        return new InetSocketAddress(address, port);
    }

    // ------------------------------------------------------------------ DefaultResolver

    @Test
    void localhostResolvesToALoopbackAddress() {
        run(() -> {
            List<InetSocketAddress> result = await(new DefaultResolver().resolve("localhost", 80));
            assertTrue(result.contains(at(LOOPBACK4, 80)) || result.contains(at(LOOPBACK6, 80)),
                    "loopback address not found in " + result);
        });
    }

    @Test
    void familyFiltersTheResult() {
        run(() -> {
            List<InetSocketAddress> result = await(new DefaultResolver().resolve("localhost", 80, AddressFamily.INET));
            assertFalse(result.isEmpty());
            assertTrue(result.stream().allMatch(a -> a.getAddress() instanceof Inet4Address), result.toString());
        });
    }

    @Test
    void ipLiteralsResolveAtOnceWithoutALookup() {
        run(() -> {
            var resolver = new DefaultResolver(task -> fail("a literal must not need the executor"));
            Future<List<InetSocketAddress>> v4 = resolver.resolve("127.0.0.1", 8080);
            assertTrue(v4.isDone());
            assertEquals(List.of(at(LOOPBACK4, 8080)), v4.result());
            assertEquals(List.of(at(LOOPBACK6, 443)), resolver.resolve("::1", 443, AddressFamily.INET6).result());
            assertEquals(List.of(at(LOOPBACK6, 443)), resolver.resolve("[::1]", 443).result());
        });
    }

    @Test
    void literalOfTheWrongFamilyFails() {
        run(() -> {
            UnknownHostException e = unknownHost(new DefaultResolver().resolve("127.0.0.1", 80, AddressFamily.INET6));
            assertEquals("127.0.0.1: no address of family INET6", e.getMessage());
        });
    }

    @Test
    void unknownHostFailsWithUnknownHostException() {
        run(() -> {
            // .invalid is reserved (RFC 6761): it never resolves.
            UnknownHostException e = unknownHost(new DefaultResolver().resolve("no-such-host.invalid", 80));
            assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        });
    }

    @Test
    void emptyHostFails() {
        run(() -> unknownHost(new DefaultResolver().resolve("", 80)));
    }

    @Test
    void badPortIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DefaultResolver().resolve("localhost", 65536));
        assertThrows(IllegalArgumentException.class, () -> new DefaultResolver().resolve("localhost", -1));
    }

    @Test
    void lookupRunsOnTheExecutorAndCompletesOnTheLoop() {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-resolver"));
        try {
            run(() -> {
                AtomicInteger lookups = new AtomicInteger();
                var resolver = new DefaultResolver(task -> {
                    lookups.incrementAndGet();
                    executor.execute(task);
                });
                Future<Thread> loopThread = new Future<>();
                loop.addCallback(() -> loopThread.setResult(Thread.currentThread()));
                Future<List<InetSocketAddress>> f = resolver.resolve("localhost", 80);
                List<Thread> completedOn = new ArrayList<>();
                f.addDoneCallback(done -> completedOn.add(Thread.currentThread()));
                assertFalse(await(f).isEmpty());
                assertEquals(1, lookups.get());
                assertEquals(List.of(await(loopThread)), completedOn);
            });
        } finally {
            executor.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ OverrideResolver

    /** A delegate that records what it is asked and answers with 127.0.0.1 and the port asked for. */
    private static final class RecordingResolver implements Resolver {
        final List<String> requests = new ArrayList<>();
        boolean closed;

        @Override
        public Future<List<InetSocketAddress>> resolve(String host, int port, AddressFamily family) {
            requests.add(host + " " + port + " " + family);
            return Future.completed(List.of(at(LOOPBACK4, port)));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void hostKeyReplacesTheHostAndKeepsThePort() {
        var delegate = new RecordingResolver();
        var resolver = new OverrideResolver(delegate, Map.of("a.example", "10.0.0.1"));
        resolver.resolve("a.example", 8080, AddressFamily.INET);
        assertEquals(List.of("10.0.0.1 8080 INET"), delegate.requests);
    }

    @Test
    void hostAndPortKeyWinsOverHostKey() {
        var delegate = new RecordingResolver();
        var resolver = new OverrideResolver(delegate, Map.of(
                "a.example", "10.0.0.1",
                "a.example:443", "10.0.0.2:8443"));
        resolver.resolve("a.example", 443);
        resolver.resolve("a.example", 80);
        assertEquals(List.of("10.0.0.2 8443 UNSPEC", "10.0.0.1 80 UNSPEC"), delegate.requests);
    }

    @Test
    void hostAndPortKeyWithHostOnlyValueKeepsThePort() {
        var delegate = new RecordingResolver();
        new OverrideResolver(delegate, Map.of("a.example:80", "b.example")).resolve("a.example", 80);
        assertEquals(List.of("b.example 80 UNSPEC"), delegate.requests);
    }

    @Test
    void unmappedHostsAndPortsPassThroughUnchanged() {
        var delegate = new RecordingResolver();
        var resolver = new OverrideResolver(delegate, Map.of("a.example:443", "10.0.0.2"));
        resolver.resolve("a.example", 80);
        resolver.resolve("Other.Example", 443, AddressFamily.INET6);
        assertEquals(List.of("a.example 80 UNSPEC", "Other.Example 443 INET6"), delegate.requests);
    }

    @Test
    void ipv6KeysAndValuesUseBrackets() {
        var delegate = new RecordingResolver();
        var resolver = new OverrideResolver(delegate, Map.of(
                "[::1]:80", "[fd00::1]:8080",
                "fd00::2", "[fd00::3]"));
        resolver.resolve("0:0:0:0:0:0:0:1", 80); // the same address as ::1
        resolver.resolve("[fd00:0::2]", 90);
        assertEquals(List.of("fd00:0:0:0:0:0:0:1 8080 UNSPEC", "fd00:0:0:0:0:0:0:3 90 UNSPEC"), delegate.requests);
    }

    @Test
    void hostNamesMatchCaseInsensitively() {
        var delegate = new RecordingResolver();
        new OverrideResolver(delegate, Map.of("Example.COM", "10.0.0.1")).resolve("example.com", 80);
        assertEquals(List.of("10.0.0.1 80 UNSPEC"), delegate.requests);
    }

    @Test
    void malformedMappingsAreRejected() {
        var delegate = new RecordingResolver();
        for (String bad : List.of("", "host:", "host:http", "host:70000", "[::1", "[::1]x", ":80")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new OverrideResolver(delegate, Map.of(bad, "10.0.0.1")), bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new OverrideResolver(delegate, Map.of("a", "b:0x50")));
    }

    @Test
    void closeClosesTheDelegate() {
        var delegate = new RecordingResolver();
        new OverrideResolver(delegate, Map.of()).close();
        assertTrue(delegate.closed);
    }

    @Test
    void overridesResolveThroughTheRealResolver() {
        run(() -> {
            var resolver = new OverrideResolver(new DefaultResolver(), Map.of(
                    "google.com:80", "1.2.3.4:80",
                    "squall.invalid", "127.0.0.1"));
            assertEquals(List.of(at(InetAddress.ofLiteral("1.2.3.4"), 80)),
                    await(resolver.resolve("google.com", 80, AddressFamily.INET)));
            assertEquals(List.of(at(LOOPBACK4, 9000)), await(resolver.resolve("squall.invalid", 9000)));
        });
    }
}
