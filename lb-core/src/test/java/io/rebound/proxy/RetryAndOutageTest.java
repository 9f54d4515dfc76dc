package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.Http;
import io.rebound.testing.ProxyFixture;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

class RetryAndOutageTest {
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private TestProxy proxy;

    /** A loopback port with nothing listening: connecting to it is refused. */
    private static int refusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionIsRetriedOnAnotherServerSoNoClientSeesAnError() throws IOException {
        TestBackend apache1 = fixture.backend("apache1");
        TestBackend apache3 = fixture.backend("apache3");
        // apache2 is unchecked, so it stays in the rotation although nothing listens there.
        proxy = fixture.startWithServers("""
                rebound.servers = [
                  { name = apache1, address = "%s" }
                  { name = apache2, address = "127.0.0.1:%d", check = off }
                  { name = apache3, address = "%s" }
                ]
                """.formatted(apache1.address(), refusedPort(), apache3.address()));
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = Http.get(proxy.uri("/"));
            assertEquals(200, response.statusCode(), "request " + i + ": " + response.body());
        }
        assertEquals(30, apache1.trafficRequests() + apache3.trafficRequests());
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        java.util.regex.Matcher retries = java.util.regex.Pattern
                .compile("rebound_server_retries_total\\{server=\"apache2\"} ([0-9.]+)").matcher(metrics);
        assertTrue(retries.find(), metrics);
        assertTrue(Double.parseDouble(retries.group(1)) >= 10, "apache2 was picked and retried away from: "
                + retries.group(0));
    }

    @Test
    void aConnectThatTimesOutIsRetriedOnAnotherServer() throws IOException {
        TestBackend apache1 = fixture.backend("apache1");
        // A listening socket that never accepts, its accept queue filled: further connects hang in SYN_SENT.
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 4; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(blackHole.getLocalSocketAddress(), 200);
                } catch (IOException e) {
                    break; // the queue is full
                }
            }
            proxy = fixture.startWithServers("""
                    rebound.servers = [
                      { name = apache1, address = "%s" }
                      { name = apache2, address = "127.0.0.1:%d", check = off }
                    ]
                    rebound.timeouts.connect = 200ms
                    """.formatted(apache1.address(), blackHole.getLocalPort()));
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = Http.get(proxy.uri("/"));
                assertEquals(200, response.statusCode(), "request " + i + ": " + response.body());
                assertEquals("apache1\n", response.body());
            }
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        assertTrue(metrics.contains("rebound_server_retries_total{server=\"apache2\"} ")
                && !metrics.contains("rebound_server_retries_total{server=\"apache2\"} 0.0"), metrics);
    }

    @Test
    void whenEveryServerIsDownClientsGet503AtOnceWithAShortText() throws IOException {
        proxy = fixture.startWithServers("""
                rebound.servers = [
                  { name = apache1, address = "127.0.0.1:%d" }
                  { name = apache2, address = "127.0.0.1:%d" }
                ]
                """.formatted(refusedPort(), refusedPort()));
        long start = System.nanoTime();
        HttpResponse<String> response = Http.get(proxy.uri("/"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, response.statusCode());
        assertEquals("503 Service Unavailable: no server is up\n", response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        assertTrue(millis < 2000, "answered in " + millis + " ms, expected at once");
    }

    @Test
    void whenEveryRetryIsRefusedTheClientGets503NotAHang() throws IOException {
        proxy = fixture.startWithServers("""
                rebound.servers = [
                  { name = apache1, address = "127.0.0.1:%d", check = off }
                  { name = apache2, address = "127.0.0.1:%d", check = off }
                ]
                """.formatted(refusedPort(), refusedPort()));
        assertEquals(503, Http.get(proxy.uri("/")).statusCode());
        assertEquals(503, Http.get(proxy.uri("/")).statusCode());
    }
}
