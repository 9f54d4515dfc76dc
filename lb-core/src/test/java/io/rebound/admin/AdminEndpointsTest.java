package io.rebound.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.Http;
import io.rebound.testing.ProxyFixture;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminEndpointsTest {
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private List<TestBackend> backends;
    private TestProxy proxy;

    @TempDir
    Path dir;

    private void startTwo() {
        fixture.backend("apache1");
        fixture.backend("apache2");
        proxy = fixture.start("").awaitAllUp();
        backends = fixture.backends();
    }

    @Test
    void liveStartedAndReadyAnswer200WhenServersAreUp() {
        startTwo();
        assertEquals("live\n", Http.get(proxy.adminUri("/health/live")).body());
        assertEquals(200, Http.get(proxy.adminUri("/health/started")).statusCode());
        HttpResponse<String> ready = Http.get(proxy.adminUri("/health/ready"));
        assertEquals(200, ready.statusCode());
        assertEquals("ready: 2 of 2 servers up\n", ready.body());
    }

    @Test
    void readyIs503WithTheReasonWhenNoServerIsUpWhileLiveAndStartedStay200() throws IOException {
        int refused;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            refused = socket.getLocalPort();
        }
        proxy = fixture.startWithServers("rebound.servers = [ { name = apache1, address = \"127.0.0.1:"
                + refused + "\" } ]\n");
        HttpResponse<String> ready = Http.get(proxy.adminUri("/health/ready"));
        assertEquals(503, ready.statusCode());
        assertEquals("not ready: no server is up (0 of 1)\n", ready.body());
        assertEquals(200, Http.get(proxy.adminUri("/health/live")).statusCode());
        assertEquals(200, Http.get(proxy.adminUri("/health/started")).statusCode());
    }

    @Test
    void startedAndReadyAre503WhileTheFirstRoundOfChecksRunsAndLiveIs200() throws Exception {
        TestBackend slow = fixture.backend("apache1");
        slow.delay(1500);
        int adminPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            adminPort = probe.getLocalPort();
        }
        java.net.URI started = java.net.URI.create("http://127.0.0.1:" + adminPort + "/health/started");
        java.util.concurrent.CompletableFuture<TestProxy> starting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> fixture.start("rebound.admin.bind = \"127.0.0.1:" + adminPort + "\"\n"
                        + "rebound.check { interval = 5s, timeout = 3s }\n"));
        await("the admin listener answers").atMost(Duration.ofSeconds(10))
                .until(() -> {
                    try {
                        return Http.client().send(java.net.http.HttpRequest.newBuilder(started).build(),
                                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
        assertEquals(503, Http.get(started).statusCode());
        assertEquals(503, Http.get(java.net.URI.create("http://127.0.0.1:" + adminPort + "/health/ready")).statusCode());
        assertEquals(200, Http.get(java.net.URI.create("http://127.0.0.1:" + adminPort + "/health/live")).statusCode());
        proxy = starting.get(20, TimeUnit.SECONDS);
        assertEquals(200, Http.get(started).statusCode());
        assertEquals(200, Http.get(proxy.adminUri("/health/ready")).statusCode());
    }

    @Test
    void serversListsEveryServerWithStateCheckResultCountsAndInFlight() {
        startTwo();
        backends.get(1).answer(500);
        await("apache2 is down in /servers").atMost(Duration.ofSeconds(10))
                .until(() -> Http.get(proxy.adminUri("/servers")).body()
                        .contains("\"name\": \"apache2\", \"address\": \"" + backends.get(1).address()
                                + "\", \"state\": \"down\""));
        HttpResponse<String> response = Http.get(proxy.adminUri("/servers"));
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        String json = response.body();
        assertTrue(json.startsWith("[") && json.trim().endsWith("]"), json);
        assertTrue(json.contains("{\"name\": \"apache1\", \"address\": \"" + backends.get(0).address()
                + "\", \"state\": \"up\", \"weight\": 1, \"check\": true, \"lastCheck\": {\"passed\": true, "
                + "\"reason\": \"status 200\", \"time\": \""), json);
        assertTrue(json.contains("\"reason\": \"status 500\""), json);
        assertTrue(json.matches("(?s).*\"consecutiveFailures\": [3-9][0-9]*, \"inFlight\": 0[,}].*"), json);
        assertTrue(json.contains("\"consecutiveSuccesses\": "), json);
    }

    @Test
    void trafficCountsRequestsAndResponsesByClassSinceTheProcessStarted() {
        startTwo();
        String before = Http.get(proxy.adminUri("/traffic")).body();
        assertEquals("{\"pid\": " + ProcessHandle.current().pid() + ", \"requests\": 0, \"responses\": {"
                + "\"1xx\": 0, \"2xx\": 0, \"3xx\": 0, \"4xx\": 0, \"5xx\": 0, \"other\": 0}, \"proxyErrors\": 0}\n",
                before);
        for (int i = 0; i < 5; i++) {
            Http.get(proxy.uri("/"));
        }
        HttpResponse<String> response = Http.get(proxy.adminUri("/traffic"));
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        assertTrue(response.body().contains("\"requests\": 5, \"responses\": {\"1xx\": 0, \"2xx\": 5, "),
                response.body());
    }

    @Test
    void metricsCarryTheHaproxyStyleNamesWithPerServerValues() {
        startTwo();
        for (int i = 0; i < 4; i++) {
            Http.get(proxy.uri("/"));
        }
        HttpResponse<String> response = Http.get(proxy.adminUri("/metrics"));
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        String metrics = response.body();
        for (String expected : List.of(
                "rebound_server_up{server=\"apache1\"} 1.0",
                "rebound_server_up{server=\"apache2\"} 1.0",
                "rebound_server_http_responses_total{code=\"2xx\",server=\"apache1\"} 2.0",
                "rebound_server_http_responses_total{code=\"2xx\",server=\"apache2\"} 2.0",
                "rebound_server_response_time_seconds_bucket{server=\"apache1\",le=\"",
                "rebound_server_response_time_seconds_count{server=\"apache1\"} 2",
                "rebound_server_check_total{result=\"passed\",server=\"apache1\"}",
                "rebound_server_check_total{result=\"failed\",server=\"apache1\"} 0.0",
                "rebound_server_check_duration_seconds_count{server=\"apache1\"}",
                "rebound_server_check_up_down_total{server=\"apache1\"} 1.0",
                "rebound_server_retries_total{server=\"apache1\"} 0.0",
                "rebound_frontend_http_requests_total 4.0",
                "rebound_frontend_current_connections ",
                "process_start_time_seconds ",
                "jvm_memory_used_bytes{",
                "jvm_threads_live_threads ")) {
            assertTrue(metrics.contains(expected), expected + " missing from:\n" + metrics);
        }
    }

    @Test
    void aServerGoingDownShowsInUpAndUpDownMetrics() {
        startTwo();
        backends.get(0).answer(503);
        await("apache1 is 0 in rebound_server_up").atMost(Duration.ofSeconds(10))
                .until(() -> Http.get(proxy.adminUri("/metrics")).body()
                        .contains("rebound_server_up{server=\"apache1\"} 0.0"));
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        assertTrue(metrics.contains("rebound_server_check_up_down_total{server=\"apache1\"} 2.0"), metrics);
        assertFalse(metrics.contains("rebound_server_check_total{result=\"failed\",server=\"apache1\"} 0.0"));
    }

    @Test
    void metricsPassPromtoolCheckMetrics() throws Exception {
        startTwo();
        Http.get(proxy.uri("/"));
        String metrics = Http.get(proxy.adminUri("/metrics")).body();
        Path promtool = findPromtool();
        if (promtool == null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("promtool is required in CI (apt-get install -y prometheus)");
            }
            org.junit.jupiter.api.Assumptions.abort("promtool not installed (apt-get install -y prometheus)");
        }
        Path file = Files.writeString(dir.resolve("metrics.txt"), metrics);
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(file.toFile()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.exitValue(), "promtool check metrics:\n" + output);
    }

    private static Path findPromtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void anUnknownAdminPathGets404ListingTheEndpoints() {
        startTwo();
        HttpResponse<String> response = Http.get(proxy.adminUri("/nope"));
        assertEquals(404, response.statusCode());
        assertTrue(response.body().contains("/health/ready"));
    }
}
