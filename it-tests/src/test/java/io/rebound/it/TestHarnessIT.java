package io.rebound.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ground the drills stand on, checked without Rebound: the Apache containers behave as the drills assume, each at
 * a loopback address that survives a kill, and Prometheus runs and answers queries.
 */
class TestHarnessIT {
    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();

    @Test
    void eachApacheAnswersWithItsHostnameOnItsLoopbackPort() throws Exception {
        for (ApacheServer server : APACHES.cluster().servers()) {
            HttpAnswer answer = Http.get(server.port(), "/");
            assertEquals(200, answer.status(), server.name());
            assertEquals("This is " + server.name(), answer.body().strip());
        }
    }

    @Test
    void aKilledApacheRefusesConnectionsThenServesAgainAtTheSameAddressAfterStart() throws Exception {
        ApacheServer apache2 = APACHES.server("apache2");
        int port = apache2.port();

        apache2.kill();
        assertThrows(ConnectException.class, () -> Http.get(port, "/"));

        apache2.startAgain();
        assertEquals(port, apache2.port());
        assertEquals("apache2", Http.get(port, "/").servedBy());
    }

    @Test
    void aPausedApacheAnswersNothingUntilUnpaused() throws Exception {
        ApacheServer apache3 = APACHES.server("apache3");

        apache3.pause();
        assertThrows(SocketTimeoutException.class, () -> Http.get(apache3.port(), "/", Duration.ofMillis(700)));

        apache3.unpause();
        assertEquals("apache3", Http.get(apache3.port(), "/").servedBy());
    }

    @Test
    void prometheusScrapesALoopbackTargetEverySecondAndAnswersQueries() throws Exception {
        // A stand-in for Rebound's /metrics: one gauge whose value the test flips, as drill 9 flips apache2.
        AtomicInteger up = new AtomicInteger(1);
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE rebound_server_up gauge\nrebound_server_up{server=\"apache2\"} " + up.get() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        try (PrometheusServer prometheus = PrometheusServer.start(WorkDir.create("prometheus-harness"),
                Map.of("stand-in", target.getAddress().getPort()))) {
            prometheus.awaitValue("up{job=\"stand-in\"}", 1, Duration.ofSeconds(30));
            prometheus.awaitValue("rebound_server_up{server=\"apache2\"}", 1, Duration.ofSeconds(10));

            up.set(0);
            prometheus.awaitValue("rebound_server_up{server=\"apache2\"}", 0, Duration.ofSeconds(10));
        } finally {
            target.stop(0);
        }
    }
}
