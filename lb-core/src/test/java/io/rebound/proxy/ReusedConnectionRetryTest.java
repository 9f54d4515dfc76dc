package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.Http;
import io.rebound.testing.TestProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that closes a kept-alive connection just as the next request arrives on it, without a byte of answer (its
 * keep-alive timeout fired, or it was restarted, and the proxy had not seen the close yet). The server is not at
 * fault: the proxy retries the idempotent request on a new connection, to that server too, so a backend with one
 * server left gives its client no error.
 */
class ReusedConnectionRetryTest {
    private ClosingServer server;
    private TestProxy proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aGetWhoseReusedConnectionTheOnlyServerClosedIsRetriedOnANewConnectionToIt() throws Exception {
        server = ClosingServer.start();
        proxy = TestProxy.start("rebound.servers = [{ name = apache1, address = \"" + server.address() + "\" }]\n"
                + "rebound.timeouts.pool-idle = 1h\nrebound.check { interval = 1h, timeout = 1s }\n").awaitAllUp();

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            var answer = Http.get(proxy.uri("/"));
            answers.add(answer.statusCode() + " " + answer.body().strip());
        }

        assertEquals(List.of("200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 ok", "200 ok",
                "200 ok"), answers);
        assertTrue(server.closed() > 0, "the server closed reused connections");
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        assertTrue(metrics.contains("rebound_server_retries_total{server=\"apache1\"} " + server.closed() + ".0"),
                "each close counted as one retry (" + server.closed() + "):\n" + metrics.lines()
                        .filter(line -> line.startsWith("rebound_server_retries_total"))
                        .collect(Collectors.joining("\n")));
    }

    @Test
    void aGetWhoseNewConnectionTheServerClosedIsNotRetriedOnItAgain() throws Exception {
        server = ClosingServer.start();
        server.closeEveryRequest();
        proxy = TestProxy.start("rebound.servers = [{ name = apache1, address = \"" + server.address() + "\" }]\n"
                + "rebound.check { interval = 1h, timeout = 1s }\n").awaitAllUp();

        assertEquals(503, Http.get(proxy.uri("/")).statusCode());
        assertEquals(1, server.closed(), "tried once on a new connection, then given up on");
    }

    /**
     * Answers health checks and the first request of each connection ({@code ok}, kept alive); closes a connection
     * (FIN) on reading its second request, or, told so, on reading any request other than a check.
     */
    private static final class ClosingServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger closed = new AtomicInteger();
        private volatile boolean closeEveryRequest;

        private ClosingServer(ServerSocket socket) {
            this.socket = socket;
        }

        static ClosingServer start() throws IOException {
            ClosingServer server = new ClosingServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            Thread acceptor = new Thread(server::acceptAll, "closing-server");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        int closed() {
            return closed.get();
        }

        void closeEveryRequest() {
            closeEveryRequest = true;
        }

        private void acceptAll() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread handler = new Thread(() -> serve(connection), "closing-server-connection");
                    handler.setDaemon(true);
                    handler.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                for (int request = 1; ; request++) {
                    boolean check = false;
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    for (; line != null && !line.isEmpty(); line = in.readLine()) {
                        check |= line.equalsIgnoreCase("User-Agent: rebound-check");
                    }
                    if (!check && (request > 1 || closeEveryRequest)) {
                        closed.incrementAndGet();
                        return; // FIN, no answer
                    }
                    OutputStream out = connection.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // the proxy went away
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
