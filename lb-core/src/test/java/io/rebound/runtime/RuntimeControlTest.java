package io.rebound.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.balance.Server;
import io.rebound.balance.ServerState;
import io.rebound.proxy.ProxyServer;
import io.rebound.testing.Http;
import io.rebound.testing.ProxyFixture;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime server control on a real proxy in front of real backends, the state pushed as the supervisor pushes it
 * ({@code POST /runtime-state} on the admin listener) or read from the state file at start.
 */
class RuntimeControlTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    @TempDir
    Path dir;
    private TestProxy proxy;

    private List<TestBackend> start(String hocon) {
        fixture.backend("apache1");
        fixture.backend("apache2");
        proxy = fixture.start(hocon).awaitAllUp();
        return fixture.backends();
    }

    @Test
    void drain_sendsNoNewRequestsToTheServer_whileItsInFlightRequestFinishes_andItsChecksGoOn() throws Exception {
        TestBackend apache2 = start("").get(1);
        apache2.delayTraffic(1_500);
        Server server = server("apache2");
        CompletableFuture<HttpResponse<String>> slow = null;
        for (int i = 0; i < 2 && slow == null; i++) { // round-robin: one of two requests goes to apache2
            CompletableFuture<HttpResponse<String>> sent = Http.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            try {
                await().atMost(Duration.ofSeconds(1)).until(() -> server.inFlight() == 1);
                slow = sent;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                sent.join(); // it went to apache1
            }
        }
        assertTrue(slow != null, "a request in flight on apache2");

        assertEquals(200, push(state(ServerRuntime.ready("apache2").withState(ServerState.DRAIN), 1)).statusCode());
        int traffic = apache2.trafficRequests();
        int checks = apache2.requests() - traffic;
        for (int i = 0; i < 6; i++) {
            assertEquals("apache1", Http.get(proxy.uri("/")).body().trim());
        }

        assertEquals("apache2", slow.get().body().trim(), "the in-flight request finished");
        await("the proxy counts it ended").atMost(WAIT).until(() -> server.inFlight() == 0);
        assertEquals(traffic, apache2.trafficRequests(), "no new request reached apache2");
        await("apache2's checks go on").atMost(WAIT).until(() -> apache2.requests() - apache2.trafficRequests() > checks);
        assertTrue(metrics().contains("rebound_server_status{server=\"apache2\",state=\"DRAIN\"} 1.0"), metrics());
        assertTrue(metrics().contains("rebound_server_status{server=\"apache2\",state=\"UP\"} 0.0"), metrics());
        String servers = Http.get(proxy.adminUri("/servers")).body();
        assertTrue(servers.contains("\"runtimeState\": \"drain\", \"status\": \"DRAIN\""), servers);
    }

    @Test
    void drain_closesTheServersIdlePooledConnections() {
        // Only the drain may close it: no sweep of idle connections and no checks in the test's time.
        TestBackend apache2 = start("rebound.timeouts.pool-idle = 1h\nrebound.check { interval = 1h, timeout = 1s }\n")
                .get(1);
        for (int i = 0; i < 2; i++) { // round-robin: one of two requests goes to apache2
            assertEquals(200, Http.get(proxy.uri("/")).statusCode());
        }
        await("apache2's pooled connection").atMost(WAIT).until(() -> apache2.activeConnections() == 1);

        push(state(ServerRuntime.ready("apache2").withState(ServerState.DRAIN), 1));

        await("apache2's idle pooled connection closed").atMost(WAIT).until(() -> apache2.activeConnections() == 0);
    }

    @Test
    void drain_letsTheConnectionOfARequestInFlightFinishItsExchange_thenClosesIt() throws Exception {
        TestBackend apache2 = start("rebound.timeouts.pool-idle = 1h\nrebound.check { interval = 1h, timeout = 1s }\n")
                .get(1);
        apache2.delayTraffic(1_000);
        Server server = server("apache2");
        CompletableFuture<HttpResponse<String>> slow = null;
        for (int i = 0; i < 2 && slow == null; i++) { // round-robin: one of two requests goes to apache2
            CompletableFuture<HttpResponse<String>> sent = Http.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            try {
                await().atMost(Duration.ofSeconds(1)).until(() -> server.inFlight() == 1);
                slow = sent;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                sent.join(); // it went to apache1
            }
        }
        assertTrue(slow != null, "a request in flight on apache2");

        push(state(ServerRuntime.ready("apache2").withState(ServerState.DRAIN), 1));

        assertEquals(1, apache2.activeConnections(), "the connection in use is left to finish");
        assertEquals("apache2", slow.get().body().trim(), "the in-flight request finished");
        await("its connection closed, not pooled for a server that takes no requests").atMost(WAIT)
                .until(() -> apache2.activeConnections() == 0);
    }

    @Test
    void maint_stopsTheServersChecks_andReadyBringsItBackAfterItsNextPassingCheck() {
        List<TestBackend> backends = start("");
        TestBackend apache1 = backends.get(0);
        TestBackend apache2 = backends.get(1);

        push(state(ServerRuntime.ready("apache2").withState(ServerState.MAINT), 1));
        // Two more checks of apache1 span a whole interval, longer than the check timeout: a check of apache2 that
        // was running at the push has ended.
        awaitChecks(apache1, 2);
        int checks = apache2.requests();
        for (int i = 0; i < 4; i++) {
            assertEquals("apache1", Http.get(proxy.uri("/")).body().trim());
        }
        awaitChecks(apache1, 3);

        assertEquals(checks, apache2.requests(), "apache2 was checked or got traffic in maintenance");
        assertTrue(metrics().contains("rebound_server_status{server=\"apache2\",state=\"MAINT\"} 1.0"), metrics());
        assertTrue(metrics().contains("rebound_server_up{server=\"apache2\"} 0.0"), metrics());

        push(state(ServerRuntime.ready("apache2"), 2));
        await("apache2 takes requests again").atMost(WAIT).until(() -> proxy.server().servers().isUp(server("apache2")));
        assertTrue(apache2.requests() > checks, "checked again before it took requests");
    }

    @Test
    void readyAfterADrain_takesNoRequestUntilACheckAfterItPasses_soARestartTheChecksMissedSendsNothingThere() {
        // Checks an hour apart: only the check that ready starts can see what the deploy did.
        List<TestBackend> backends = start("rebound.check { interval = 1h, timeout = 1s }\n");
        TestBackend apache2 = backends.get(1);
        push(state(ServerRuntime.ready("apache2").withState(ServerState.DRAIN), 1));
        apache2.answer(503); // deployed and restarted: the new release is still starting
        int checks = apache2.requests() - apache2.trafficRequests();

        push(state(ServerRuntime.ready("apache2"), 2));
        for (int i = 0; i < 6; i++) {
            assertEquals("apache1", Http.get(proxy.uri("/")).body().trim(), "request " + i);
        }

        assertEquals(0, apache2.trafficRequests(), "requests reached apache2 before a check passed");
        await("ready checks apache2 at once").atMost(WAIT)
                .until(() -> apache2.requests() - apache2.trafficRequests() > checks);
        assertTrue(metrics().contains("rebound_server_status{server=\"apache2\",state=\"DOWN\"} 1.0"), metrics());
    }

    @Test
    void readyAfterADrain_bringsAServerThatPassesBackAtOnce_byTheCheckItStarts() {
        List<TestBackend> backends = start("rebound.check { interval = 1h, timeout = 1s }\n");
        TestBackend apache2 = backends.get(1);
        push(state(ServerRuntime.ready("apache2").withState(ServerState.DRAIN), 1));
        int checks = apache2.requests() - apache2.trafficRequests();

        push(state(ServerRuntime.ready("apache2"), 2));

        await("apache2 takes requests again").atMost(WAIT)
                .until(() -> proxy.server().servers().isUp(server("apache2")));
        assertEquals(checks + 1, apache2.requests() - apache2.trafficRequests(), "checked once, after ready");
        assertTrue(metrics().contains("rebound_server_status{server=\"apache2\",state=\"UP\"} 1.0"), metrics());
    }

    @Test
    void aWeightSetAtRunTime_changesTheDistribution() {
        start("rebound.balance = weighted-round-robin\n");
        push(state(ServerRuntime.ready("apache1").withWeight(3), 1));

        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            counts.merge(Http.get(proxy.uri("/")).body().trim(), 1, Integer::sum);
        }

        assertEquals(Map.of("apache1", 30, "apache2", 10), counts);
        assertTrue(metrics().contains("rebound_server_weight{server=\"apache1\"} 3.0"), metrics());
    }

    @Test
    void aPushOfSomethingElse_is400_andAnOlderGeneration_isIgnored_bothChangingNothing() {
        start("");
        push(state(ServerRuntime.ready("apache2").withState(ServerState.DRAIN), 5));

        HttpResponse<String> bad = push("{\"format\": 1, \"generation\": 9, \"servers\": [{\"name\": \"apache2\","
                + " \"state\": \"gone\", \"weight\": null}]}");
        HttpResponse<String> older = push(state(ServerRuntime.ready("apache2"), 4));
        HttpResponse<String> get = Http.get(proxy.adminUri("/runtime-state"));

        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("expected: ready, drain or maint"), bad.body());
        assertEquals(200, older.statusCode());
        assertEquals("{\"generation\": 5}", older.body().trim());
        assertEquals(405, get.statusCode());
        assertEquals(ServerState.DRAIN, proxy.server().servers().state(server("apache2")));
    }

    @Test
    void theStateFile_isAppliedAtStart_soAServerInMaintenanceIsNeverChecked() throws Exception {
        fixture.backend("apache1");
        TestBackend apache2 = fixture.backend("apache2");
        Path file = dir.resolve("servers.json");
        RuntimeStateFile.write(file, state(ServerRuntime.ready("apache2").withState(ServerState.MAINT), 3));

        try (ProxyServer started = ProxyServer.start(TestProxy.settings(fixture.backends(), ""), null, null, file)) {
            assertEquals(List.of("apache1"), started.servers().upServers().stream().map(Server::name).toList());
            assertEquals(3, started.runtime().applied().generation());
            assertEquals(0, apache2.requests());
        }
    }

    private static void awaitChecks(TestBackend backend, int more) {
        int checks = backend.requests() - backend.trafficRequests();
        await(more + " more checks of " + backend.name()).atMost(WAIT)
                .until(() -> backend.requests() - backend.trafficRequests() >= checks + more);
    }

    private static RuntimeState state(ServerRuntime server, long generation) {
        return new RuntimeState(generation, Map.of(server.name(), server));
    }

    private HttpResponse<String> push(RuntimeState state) {
        return push(state.toJson());
    }

    private HttpResponse<String> push(String body) {
        return Http.send(HttpRequest.newBuilder(proxy.adminUri("/runtime-state")).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private String metrics() {
        return Http.get(proxy.adminUri("/metrics")).body();
    }

    private Server server(String name) {
        return proxy.server().servers().all().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
