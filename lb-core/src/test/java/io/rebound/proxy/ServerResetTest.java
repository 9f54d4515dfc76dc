package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that takes a request and resets the connection without a byte of answer, as a server killed with
 * {@code kill -9} after accepting does: an idempotent request is retried on another server, once, so the client gets
 * one answer and no error.
 */
class ServerResetTest {
    private TestBackend healthy;
    private ResettingServer resetting;
    private TestProxy proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (healthy != null) {
            healthy.close();
        }
        if (resetting != null) {
            resetting.close();
        }
    }

    @Test
    void getsThatAServerResetsBeforeAnsweringAreRetriedOnAnotherServer_withoutAnErrorOrASecondAnswer()
            throws Exception {
        healthy = TestBackend.start("apache1");
        resetting = ResettingServer.start();
        proxy = TestProxy.start(List.of(healthy), "rebound.servers += { name = resetter, address = \""
                + resetting.address() + "\" }\nrebound.retries = 2\n").awaitAllUp();

        Map<String, Integer> answers = new TreeMap<>();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 20; i++) {
                responses.add(Http.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> answer = response.handle((ok, failed) -> ok).join();
                answers.merge(answer == null ? "no answer" : answer.statusCode() + " " + answer.body().strip(), 1,
                        Integer::sum);
            }
            responses.clear();
        }

        assertTrue(resetting.resets() > 0, "the resetting server was sent requests");
        assertEquals(Map.of("200 apache1", 400), answers);
        assertEquals(400, healthy.trafficRequests(), "each request answered once, by the healthy server");
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        assertTrue(metrics.contains("rebound_server_retries_total{server=\"resetter\"} " + resetting.resets() + ".0"),
                "each reset counted as one retry away from the resetting server (" + resetting.resets() + "):\n"
                        + metrics.lines().filter(line -> line.startsWith("rebound_server_retries_total"))
                        .collect(Collectors.joining("\n")));
    }

    /** Answers the proxy's health checks, and resets every other request's connection after reading it. */
    private static final class ResettingServer implements AutoCloseable {
        private final ServerSocket socket;
        private final AtomicInteger resets = new AtomicInteger();

        private ResettingServer(ServerSocket socket) {
            this.socket = socket;
        }

        static ResettingServer start() throws IOException {
            ResettingServer server = new ResettingServer(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
            Thread acceptor = new Thread(server::acceptAll, "resetting-server");
            acceptor.setDaemon(true);
            acceptor.start();
            return server;
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        int resets() {
            return resets.get();
        }

        private void acceptAll() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    Thread handler = new Thread(() -> serve(connection), "resetting-connection");
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
                while (true) {
                    boolean check = false;
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    for (; line != null && !line.isEmpty(); line = in.readLine()) {
                        check |= line.equalsIgnoreCase("User-Agent: rebound-check");
                    }
                    if (!check) {
                        resets.incrementAndGet();
                        connection.setSoLinger(true, 0); // close() now sends RST
                        return;
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
