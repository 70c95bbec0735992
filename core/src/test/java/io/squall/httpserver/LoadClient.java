package io.squall.httpserver;

import static io.squall.gen.Coroutines.await;
import static io.squall.gen.Coroutines.multi;
import static io.squall.gen.Coroutines.spawn;

import io.squall.concurrent.Future;
import io.squall.ioloop.IOLoop;
import io.squall.iostream.IOStream;
import io.squall.iostream.IOStreamOptions;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens many HTTP connections at once from one {@link IOLoop} (Squall's own {@link IOStream}s, one
 * coroutine each, no thread per connection), sends one {@code GET} on each and counts the 200 answers.
 *
 * <p>Run as a program ({@code LoadClient port connections path timeoutSeconds}) so that its sockets
 * count against a process of their own: a test JVM holding both ends of 10,000 connections needs
 * 20,000 descriptors, more than a common {@code ulimit -n} allows. It prints one line,
 * {@code RESULT answered=N failed=N connectMillis=N totalMillis=N}, then up to five distinct errors.
 */
final class LoadClient {
    private LoadClient() {}

    /**
     * Entry point.
     *
     * @param args the server's port on 127.0.0.1, the number of connections, the request path, and a
     *     time limit in seconds
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        String path = args[2];
        Duration limit = Duration.ofSeconds(Long.parseLong(args[3]));
        try (IOLoop loop = new IOLoop()) {
            String result = loop.runSync(() -> run(port, connections, path), limit);
            System.out.println(result);
        }
        System.exit(0);
    }

    private static String run(int port, int connections, String path) {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: load\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        IOStreamOptions small = IOStreamOptions.DEFAULTS.withReadChunkSize(4096);
        long start = System.nanoTime();
        long[] lastConnected = {start};
        int[] answered = {0};
        Set<String> errors = new LinkedHashSet<>();
        List<Future<Void>> all = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            all.add(spawn(() -> {
                try (IOStream stream = new IOStream(SocketChannel.open(), IOLoop.current(), small)) {
                    await(stream.connect(server));
                    lastConnected[0] = System.nanoTime();
                    await(stream.write(request));
                    String response = new String(await(stream.readUntilClose()), StandardCharsets.ISO_8859_1);
                    if (response.startsWith("HTTP/1.1 200 ")) {
                        answered[0]++;
                    } else {
                        errors.add("unexpected response: " + response.lines().findFirst().orElse(""));
                    }
                } catch (Exception e) {
                    errors.add(e.toString());
                }
            }));
        }
        await(multi(all));
        long now = System.nanoTime();
        StringBuilder out = new StringBuilder("RESULT answered=").append(answered[0])
                .append(" failed=").append(connections - answered[0])
                .append(" connectMillis=").append((lastConnected[0] - start) / 1_000_000)
                .append(" totalMillis=").append((now - start) / 1_000_000);
        errors.stream().limit(5).forEach(e -> out.append("\nERROR ").append(e));
        return out.toString();
    }
}
