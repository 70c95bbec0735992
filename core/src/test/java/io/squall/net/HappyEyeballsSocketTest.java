package io.squall.net;

import static io.squall.gen.Coroutines.await;
import static io.squall.net.NetTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.squall.concurrent.Future;
import io.squall.testing.AsyncTestCase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** {@link HappyEyeballsConnector} over real loopback sockets, with a tiny non-blocking connect. */
class HappyEyeballsSocketTest extends AsyncTestCase {
    private static final Duration NEVER = Duration.ofHours(1);





    /** A listening socket on {@code address} whose accepted connections complete the returned future. */
    private ServerSocketChannel listen(InetAddress address, Future<SocketAddress> acceptedFrom) throws IOException {
        ServerSocketChannel server = NetUtil.bindSockets(0, List.of(address), NetUtil.DEFAULT_BACKLOG, false).getFirst();
        closeLater(server);
        NetUtil.addAcceptHandler(loop, server, (channel, remote) -> {
            closeLater(channel);
            acceptedFrom.trySetResult(remote);
        });
        return server;
    }

    private SocketChannel refusing(InetAddress address) throws IOException {
        SocketChannel channel = refusingPort(address);
        closeLater(channel);
        return channel;
    }

    private HappyEyeballsConnector<SocketChannel> connector(List<InetSocketAddress> addresses) {
        return new HappyEyeballsConnector<>(addresses, a -> connect(loop, a), NetTestSupport::closeQuietly);
    }

    private void connectsTo(InetAddress address) {
        run(() -> {
            Future<SocketAddress> accepted = new Future<>();
            ServerSocketChannel server = listen(address, accepted);
            SocketChannel client = await(connector(List.of(localAddress(server))).start(Duration.ofSeconds(5)));
            closeLater(client);
            assertTrue(client.isConnected());
            assertEquals(localAddress(server), client.getRemoteAddress());
            assertEquals(client.getLocalAddress(), await(accepted));
        });
    }

    @Test
    void connectsToIpv4Loopback() {
        connectsTo(LOOPBACK4);
    }

    @Test
    void connectsToIpv6Loopback() {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        connectsTo(LOOPBACK6);
    }

    /**
     * Connects to a refusing address on {@code refusedAt}, then a listening one on {@code listeningAt},
     * with both connector timers off: only the refusal can move the connector on.
     */
    private void connectsPastARefusal(InetAddress refusedAt, InetAddress listeningAt) throws IOException {
        Future<SocketAddress> accepted = new Future<>();
        ServerSocketChannel server = listen(listeningAt, accepted);
        InetSocketAddress refused = (InetSocketAddress) refusing(refusedAt).getLocalAddress();
        SocketChannel client = await(connector(List.of(refused, localAddress(server))).start(NEVER, NEVER));
        closeLater(client);
        assertEquals(localAddress(server), client.getRemoteAddress());
        assertEquals(client.getLocalAddress(), await(accepted));
    }

    @Test
    void refusedPrimaryFallsBackToTheOtherFamilyWithoutWaiting() {
        assumeTrue(ipv6LoopbackAvailable(), "no IPv6 loopback");
        // The secondary timer never fires: only the refusal can bring in IPv6.
        run(() -> connectsPastARefusal(LOOPBACK4, LOOPBACK6));
    }

    @Test
    void refusedAddressIsFollowedByTheNextOfTheSameFamily() {
        run(() -> connectsPastARefusal(LOOPBACK4, LOOPBACK4));
    }

    @Test
    void everyAddressRefusedRaisesConnectException() {
        run(() -> {
            List<InetSocketAddress> addresses = new ArrayList<>();
            addresses.add((InetSocketAddress) refusing(LOOPBACK4).getLocalAddress());
            if (ipv6LoopbackAvailable()) {
                addresses.add((InetSocketAddress) refusing(LOOPBACK6).getLocalAddress());
            }
            Future<SocketChannel> result = connector(addresses).start(Duration.ofSeconds(5));
            CompletionException e = assertThrows(CompletionException.class, () -> await(result));
            assertInstanceOf(ConnectException.class, e.getCause());
        });
    }
}
