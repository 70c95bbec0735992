package io.squall.iostream;

import static io.squall.testing.TestBytes.*;
import static io.squall.gen.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.squall.concurrent.Future;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream over a Unix-domain socket. */
class UnixIOStreamTest extends StreamTestSupport {
    @TempDir
    Path dir;

    @Test
    void exchangeOverAUnixSocket() {
        run(() -> {
            Path socket = dir.resolve("s.sock");
            try (TestAcceptor acceptor = TestAcceptor.unix(loop, socket)) {
                Future<SocketChannel> accepted = acceptor.accept();
                IOStream client = new IOStream(SocketChannel.open(StandardProtocolFamily.UNIX), loop, DEFAULTS);
                await(client.connect(acceptor.address()));
                try (Pair p = new Pair(client, new IOStream(await(accepted), loop, DEFAULTS))) {
                    p.client().setNoDelay(true); // not a TCP socket: ignored
                    await(p.client().write(bytes("ping\n")));
                    assertEquals("ping\n", str(await(p.server().readUntil(bytes("\n")))));
                    await(p.server().write(bytes("pong")));
                    p.server().close();
                    assertEquals("pong", str(await(p.client().readUntilClose())));
                }
            } finally {
                Files.deleteIfExists(socket);
            }
        });
    }
}
