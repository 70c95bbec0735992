package io.squall.net;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.withTimeout;
import static io.squall.net.NetTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.squall.concurrent.Future;
import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link TcpClient} over real loopback sockets: families, errors, source addresses, timeouts, resolvers. */
class TcpClientTest extends TcpTestCase {
    private final TcpClient client = closeLater(new TcpClient());

    private static ConnectOptions.Builder options() {
        return ConnectOptions.builder();
    }

    private IOStream connect(TcpClient with, String host, int port, ConnectOptions options) {
        return closeLater(await(with.connect(host, port, options)));
    }

    // ------------------------------------------------------------------ families

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "127.0.0.1, INET, INET",
        "127.0.0.1, UNSPEC, INET",
        "localhost, INET, INET",
        "localhost, UNSPEC, ANY",
        "localhost, INET6, INET6",
        "::1, INET6, INET6",
        "::1, UNSPEC, INET6",
    })
    void connectsAndTheBytesArrive(String host, AddressFamily family, String expectedFamily) throws Exception {
        if (expectedFamily.equals("INET6")) {
            assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        }
        if (host.equals("localhost") && family == AddressFamily.INET6) {
            assumeTrue(Arrays.stream(InetAddress.getAllByName("localhost")).anyMatch(a -> a instanceof Inet6Address),
                    "localhost has no IPv6 address here");
        }
        run(() -> {
            Future<Received> received = new Future<>();
            int port = listenOnBothLoopbacks(recordingServer(received));
            IOStream stream = connect(client, host, port, options().family(family).build());
            assertEquals("hello\n", roundTrip(stream, "hello"));
            Received r = await(received);
            assertEquals("hello\n", r.line());
            InetAddress peer = r.remote().getAddress();
            assertTrue(peer.isLoopbackAddress(), "server saw " + peer);
            switch (expectedFamily) {
                case "INET" -> assertInstanceOf(Inet4Address.class, peer);
                case "INET6" -> assertInstanceOf(Inet6Address.class, peer);
                default -> { } // localhost: whichever family the resolver lists first
            }
            InetSocketAddress remote = (InetSocketAddress) stream.remoteAddress();
            assertEquals(port, remote.getPort());
            assertEquals(AddressFamily.of(peer), AddressFamily.of(remote.getAddress()));
        });
    }

    @Test
    void aLiteralOfTheOtherFamilyDoesNotResolve() {
        run(() -> {
            Throwable e = failureOf(() -> await(client.connect("127.0.0.1", 80,
                    options().family(AddressFamily.INET6).build())));
            assertInstanceOf(UnknownHostException.class, e);
        });
    }

    @Test
    void aResolverFailureIsRaisedAsItIs() {
        run(() -> {
            Resolver failing = (host, port, family) -> Future.failed(new UnknownHostException(host + ": not found"));
            Throwable e = failureOf(() -> await(new TcpClient(failing).connect("gone.example", 80)));
            assertInstanceOf(UnknownHostException.class, e);
            assertEquals("gone.example: not found", e.getMessage());
        });
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aRefusedPortFailsWithStreamClosedErrorCausedByConnectException() {
        run(() -> {
            SocketChannel refusing = closeLater(refusingPort(LOOPBACK4));
            int port = ((InetSocketAddress) refusing.getLocalAddress()).getPort();
            StreamClosedError e = assertThrows(StreamClosedError.class, () -> await(client.connect("127.0.0.1", port)));
            assertInstanceOf(ConnectException.class, e.getCause());
        });
    }

    // ------------------------------------------------------------------ source address and port

    private void connectsFrom(String sourceIp) {
        run(() -> {
            Future<Received> received = new Future<>();
            int port = listenOnBothLoopbacks(recordingServer(received));
            InetAddress source = InetAddress.ofLiteral(sourceIp);
            IOStream stream = connect(client, "127.0.0.1", port, options().sourceAddress(source).build());
            assertEquals("from\n", roundTrip(stream, "from"));
            assertEquals(source, await(received).remote().getAddress());
        });
    }

    @Test
    void sourceAddressOfTheLoopbackWorks() {
        connectsFrom("127.0.0.1");
    }

    @Test
    void theServerSeesTheSourceAddress() {
        // 127.0.0.2 is local on Linux (all of 127/8) but is not the default source: only the option gives it.
        assumeTrue(bindable(InetAddress.ofLiteral("127.0.0.2")), "127.0.0.2 is not local here");
        connectsFrom("127.0.0.2");
    }

    @Test
    void aSourceAddressThatIsNotLocalFailsToBind() {
        run(() -> {
            Future<Received> received = new Future<>();
            int port = listenOnBothLoopbacks(recordingServer(received));
            // Binding fails before any packet is sent: nothing leaves the machine.
            ConnectOptions from = options().sourceAddress(InetAddress.ofLiteral("8.8.8.8")).build();
            Throwable e = failureOf(() -> await(client.connect("127.0.0.1", port, from)));
            assertNotNull(causeOfType(e, BindException.class), () -> "expected a BindException, got " + e);
            assertFalse(received.isDone());
        });
    }

    private void connectsFromPort(InetAddress server) {
        run(() -> {
            Future<Received> received = new Future<>();
            int port = listenOnBothLoopbacks(recordingServer(received));
            int sourcePort = freePort(server);
            IOStream stream = connect(client, server.getHostAddress(), port, options().sourcePort(sourcePort).build());
            assertEquals("port\n", roundTrip(stream, "port"));
            InetSocketAddress seen = await(received).remote();
            assertEquals(sourcePort, seen.getPort());
            assertEquals(server, seen.getAddress());
        });
    }

    @Test
    void sourcePortAloneWorksOverIpv4() {
        connectsFromPort(LOOPBACK4);
    }

    @Test
    void sourcePortAloneWorksOverIpv6() {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        connectsFromPort(LOOPBACK6);
    }

    // ------------------------------------------------------------------ timeouts

    @Test
    void theTimeoutCoversResolving() {
        run(() -> {
            List<Future<List<InetSocketAddress>>> lookups = new ArrayList<>();
            Resolver never = (host, port, family) -> {
                Future<List<InetSocketAddress>> f = new Future<>();
                lookups.add(f);
                return f;
            };
            TcpClient stuck = new TcpClient(never);
            ConnectTimeoutException e = assertThrows(ConnectTimeoutException.class,
                    () -> await(stuck.connect("example.invalid", 80, options().timeout(ms(50)).build())));
            assertEquals(ConnectTimeoutException.Phase.RESOLVE, e.phase());
            assertEquals(ms(50), e.timeout());
            assertEquals(1, lookups.size());
            assertTrue(lookups.getFirst().isCancelled(), "the abandoned lookup is cancelled");
        });
    }

    @Test
    void theTimeoutCoversConnecting() {
        run(() -> {
            // A listener with backlog 1 that never accepts: once its accept queue holds two connections,
            // the kernel drops further SYNs and the next connect neither succeeds nor fails.
            ServerSocketChannel full = closeLater(ServerSocketChannel.open());
            full.bind(new InetSocketAddress(LOOPBACK4, 0), 1);
            InetSocketAddress address = localAddress(full);
            for (int i = 0; i < 2; i++) {
                closeLater(await(withTimeout(Duration.ofSeconds(5), NetTestSupport.connect(loop, address))));
            }
            Future<IOStream> attempt = client.connect("127.0.0.1", address.getPort(), options().timeout(ms(300)).build());
            Throwable failure = null;
            try {
                closeLater(await(attempt));
            } catch (RuntimeException e) {
                failure = e;
            }
            assumeTrue(failure != null, "this kernel completed a connect beyond the listen backlog");
            ConnectTimeoutException timeout = assertInstanceOf(ConnectTimeoutException.class, failure);
            assertEquals(ConnectTimeoutException.Phase.CONNECT, timeout.phase());
            assertEquals(ms(300), timeout.timeout(), "the caller's timeout, not what was left of it");
            assertEquals("Timeout while connecting after 0.3 s: 127.0.0.1:" + address.getPort(), timeout.getMessage());
            assertInstanceOf(ConnectTimeoutException.class, timeout.getCause(), "the connector's account of the attempts");
        });
    }

    // ------------------------------------------------------------------ resolvers

    @Test
    void anOverrideResolverMapsAFakeNameToTheLoopback() {
        run(() -> {
            Future<Received> received = new Future<>();
            int port = listenOnBothLoopbacks(recordingServer(received));
            TcpClient mapped = mappedClient(Map.of("service.example", "127.0.0.1"));
            IOStream stream = connect(mapped, "service.example", port, ConnectOptions.DEFAULTS);
            assertEquals("mapped\n", roundTrip(stream, "mapped"));
            assertEquals(LOOPBACK4, await(received).remote().getAddress());
        });
    }

    @Test
    void anOverrideResolverCanMapThePortToo() {
        run(() -> {
            Future<Received> received = new Future<>();
            int port = listenOnBothLoopbacks(recordingServer(received));
            TcpClient mapped = mappedClient(Map.of("service.example:443", "127.0.0.1:" + port));
            IOStream stream = connect(mapped, "service.example", 443, ConnectOptions.DEFAULTS);
            assertEquals("port\n", roundTrip(stream, "port"));
            assertEquals(port, ((InetSocketAddress) stream.remoteAddress()).getPort());
        });
    }

    @Test
    void resolvingThenConnectingToTheAddressesIsConnectInTwoSteps() {
        run(() -> {
            Future<Received> received = new Future<>();
            int port = listenOnBothLoopbacks(recordingServer(received));
            TcpClient mapped = mappedClient(Map.of("service.example", "127.0.0.1"));
            List<InetSocketAddress> addresses = await(mapped.resolve("service.example", port, AddressFamily.INET));
            assertEquals(List.of(new InetSocketAddress(LOOPBACK4, port)), addresses);
            IOStream stream = closeLater(await(mapped.connect("service.example", addresses, ConnectOptions.DEFAULTS)));
            assertEquals("two steps\n", roundTrip(stream, "two steps"));
            assertEquals(LOOPBACK4, await(received).remote().getAddress());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mapped.connect("service.example", List.of(), ConnectOptions.DEFAULTS));
            assertTrue(e.getMessage().contains("service.example"), e.getMessage());
        });
    }

    // ------------------------------------------------------------------ helpers

    /** A client whose resolver maps names (or name:port pairs) as {@code overrides} says; closed after the test. */
    private TcpClient mappedClient(Map<String, String> overrides) {
        return closeLater(new TcpClient(new OverrideResolver(new DefaultResolver(), overrides)));
    }

    private static boolean bindable(InetAddress address) {
        try (ServerSocketChannel s = ServerSocketChannel.open(AddressFamily.of(address).protocolFamily())) {
            s.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port that was free on {@code address} a moment ago (bound, then released). */
    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open(AddressFamily.of(address).protocolFamily())) {
            s.bind(new InetSocketAddress(address, 0));
            return localAddress(s).getPort();
        }
    }
}
