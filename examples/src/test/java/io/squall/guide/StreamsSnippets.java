package io.squall.guide;

import static io.squall.gen.Coroutines.await;

import io.squall.iostream.IOStream;
import io.squall.iostream.StreamClosedError;
import io.squall.net.ConnectOptions;
import io.squall.net.TcpClient;
import io.squall.net.TcpServer;
import io.squall.tls.ClientAuth;
import io.squall.tls.TlsConfig;
import io.squall.tls.TlsConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** The snippets of docs/guide/streams-tcp-tls.md; {@link GuideSnippetsRunTest} runs the plain ones. */
final class StreamsSnippets {
    private StreamsSnippets() {
    }

    // tag::echo-server[]
    static TcpServer echoServer() {
        return new TcpServer((stream, address) -> {          // a coroutine per connection
            try {
                while (true) {
                    byte[] line = await(stream.readUntil("\n".getBytes(StandardCharsets.US_ASCII), 64 * 1024));
                    await(stream.write(line));               // waits while the peer reads slowly
                }
            } catch (StreamClosedError e) {
                // the client went away: nothing to do
            }
        });
    }
    // end::echo-server[]

    // tag::client[]
    static String askEcho(int port) {                        // call from a coroutine
        try (TcpClient client = new TcpClient();
             IOStream stream = await(client.connect("127.0.0.1", port,
                     ConnectOptions.builder().timeout(Duration.ofSeconds(5)).build()))) {
            await(stream.write("ping\n".getBytes(StandardCharsets.US_ASCII)));
            byte[] answer = await(stream.readUntil("\n".getBytes(StandardCharsets.US_ASCII)));
            return new String(answer, StandardCharsets.US_ASCII);
        }
    }
    // end::client[]

    // tag::tls[]
    static TcpServer tlsEchoServer(SSLContext serverContext) {
        return TcpServer.builder((stream, address) -> {      // stream is an SslIOStream
                    await(stream.write("hello over TLS\n".getBytes(StandardCharsets.US_ASCII)));
                })
                .tls(serverContext)
                .build();
    }

    static IOStream connectTls(SSLContext clientContext, String host, int port) {   // from a coroutine
        return await(new TcpClient().connect(host, port, ConnectOptions.builder()
                .tls(clientContext)                          // verifies the certificate against host
                .serverHostname(host)
                .build()));
    }
    // end::tls[]

    // tag::pem[]
    static SSLContext serverFromPem(Path certificateChain, Path privateKey, Path clientRoots)
            throws TlsConfigException {
        return TlsConfig.server()
                .certificateChain(certificateChain)     // PEM: the leaf first, then intermediates
                .privateKey(privateKey)                 // PKCS#8 (or traditional RSA/EC); a password overload
                .clientAuth(ClientAuth.OPTIONAL)        // NONE, OPTIONAL or REQUIRED
                .trust(clientRoots)                     // PEM bundle of the CAs client certificates chain to
                .build();                               // TLS 1.3 and 1.2, AEAD suites only
    }

    static SSLContext clientFromPem(Path trustedRoots) throws TlsConfigException {
        return TlsConfig.client().trust(trustedRoots).build();
    }
    // end::pem[]
}
