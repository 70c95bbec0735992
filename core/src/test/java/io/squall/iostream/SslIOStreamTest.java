package io.squall.iostream;

import static io.squall.gen.Coroutines.await;

import io.squall.concurrent.Future;
import io.squall.testing.TestCertificates;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ssl.SSLContext;

/** The iostream behaviours over TLS (client verifying "localhost"). */
class SslIOStreamTest extends AbstractIOStreamTest {
    private static final SSLContext SERVER = TestCertificates.localhost().serverContext();
    private static final SSLContext CLIENT = TestCertificates.localhost().clientContext();

    @Override
    Pair connect(IOStreamOptions clientOptions, IOStreamOptions serverOptions) throws Exception {
        try (TestAcceptor acceptor = TestAcceptor.tcp(loop)) {
            Future<SocketChannel> accepted = acceptor.accept();
            SslIOStream client = SslIOStream.client(SocketChannel.open(), loop, clientOptions, CLIENT, "localhost", List.of());
            Future<IOStream> connected = client.connect(acceptor.address());
            SslIOStream server = SslIOStream.server(await(accepted), loop, serverOptions, SERVER);
            await(connected);
            await(server.waitForHandshake());
            return new Pair(client, server);
        }
    }
}
