package io.rebound.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drills 1 to 4 of the reference setup: Rebound (supervisor + proxy from the distribution) in front of three real
 * Apache containers, with backends killed, frozen and all gone.
 */
class BackendFailureIT {
    @RegisterExtension
    static final ApachesExtension APACHES = new ApachesExtension();
    @RegisterExtension
    final ReboundExtension reboundExtension = new ReboundExtension(APACHES);

    /** Bounds of every load in this class: far more than a drill needs, so only a hang can reach them. */
    private static final int LOAD_MAX_REQUESTS = 5_000;
    private static final Duration LOAD_MAX_DURATION = Duration.ofSeconds(90);
    /** What a client waits for one answer: above the proxy's response timeout, so the proxy's 504 comes first. */
    private static final Duration CLIENT_TIMEOUT = ReboundConfig.RESPONSE_TIMEOUT.plusSeconds(3);
    /** A "quick" 503: milliseconds in practice; a proxy that waited on a dead server would take seconds. */
    private static final Duration QUICK = Duration.ofSeconds(1);
    private static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void nineSequentialRequestsGoToApache1Apache2Apache3ThreeTimesInThatOrder() throws Exception {
        int proxyPort = reboundExtension.rebound().proxyPort();

        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            HttpAnswer answer = Http.get(proxyPort, "/");
            assertEquals(200, answer.status(), "request " + (i + 1));
            servedBy.add(answer.servedBy());
        }

        assertEquals(List.of("apache1", "apache2", "apache3", "apache1", "apache2", "apache3",
                "apache1", "apache2", "apache3"), servedBy);
    }

    @Test
    void aKilledBackendCostsClientsNoErrorsLeavesRotationAndReturnsAfterRestart() throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        ProxyAdmin admin = rebound.proxyAdmin();
        ApacheServer apache2 = APACHES.server("apache2");

        try (SequentialLoad load = SequentialLoad.start(rebound.proxyPort(), CLIENT_TIMEOUT, LOAD_MAX_REQUESTS,
                LOAD_MAX_DURATION)) {
            load.awaitMore(20, TRAFFIC_TIMEOUT);

            apache2.kill();
            admin.awaitState("apache2", "down", ReboundConfig.downDetection());
            long downSeenAt = System.nanoTime();
            assertEquals(0.0, admin.serverUpMetric("apache2"), "rebound_server_up{server=\"apache2\"}");
            load.awaitMore(30, TRAFFIC_TIMEOUT);

            long restartedAt = System.nanoTime();
            apache2.startAgain();
            admin.awaitState("apache2", "up", ReboundConfig.upDetection());
            long upSeenAt = System.nanoTime();
            assertEquals(1.0, admin.serverUpMetric("apache2"), "rebound_server_up{server=\"apache2\"}");
            load.awaitMore(6, TRAFFIC_TIMEOUT);

            List<SequentialLoad.Outcome> all = load.stop();
            List<SequentialLoad.Outcome> whileDown = sentBetween(all, downSeenAt, restartedAt);
            assertEquals(List.of(), failures(all), "client-visible errors");
            assertEquals(Set.of("apache1", "apache3"), servers(whileDown), "servers while apache2 was down");
            assertAlternates(whileDown);
            assertEquals(Set.of("apache1", "apache2", "apache3"), servers(sentFrom(all, upSeenAt)),
                    "servers once apache2 was back up");
        }
    }

    @Test
    void aHungBackendFailsOnlyRequestsAlreadySentToItGoesDownAndReturnsAfterUnpause() throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        ProxyAdmin admin = rebound.proxyAdmin();
        ApacheServer apache3 = APACHES.server("apache3");

        try (SequentialLoad load = SequentialLoad.start(rebound.proxyPort(), CLIENT_TIMEOUT, LOAD_MAX_REQUESTS,
                LOAD_MAX_DURATION)) {
            load.awaitMore(20, TRAFFIC_TIMEOUT);

            apache3.pause();
            admin.awaitState("apache3", "down", ReboundConfig.downDetection());
            long downSeenAt = System.nanoTime();
            assertEquals(0.0, admin.serverUpMetric("apache3"), "rebound_server_up{server=\"apache3\"}");
            load.awaitMore(30, TRAFFIC_TIMEOUT);

            long unpausedAt = System.nanoTime();
            apache3.unpause();
            admin.awaitState("apache3", "up", ReboundConfig.upDetection());
            long upSeenAt = System.nanoTime();
            load.awaitMore(6, TRAFFIC_TIMEOUT);

            List<SequentialLoad.Outcome> all = load.stop();
            for (SequentialLoad.Outcome failed : failures(all)) {
                assertTrue(failed.sentAtNanos() < downSeenAt,
                        "a request sent after apache3 was down failed: " + failed);
                assertTrue(failed.answer() != null && failed.answer().status() >= 500,
                        "a request to the hung server must end in the proxy's 5xx, not a client timeout: " + failed);
                assertTrue(failed.answer().took().compareTo(ReboundConfig.RESPONSE_TIMEOUT.plusSeconds(2)) <= 0,
                        "a request to the hung server must end by the response timeout: " + failed);
            }
            List<SequentialLoad.Outcome> whileDown = sentBetween(all, downSeenAt, unpausedAt);
            assertEquals(Set.of("apache1", "apache2"), servers(whileDown), "servers while apache3 was down");
            assertEquals(Set.of("apache1", "apache2", "apache3"), servers(sentFrom(all, upSeenAt)),
                    "servers once apache3 was back up");
        }
    }

    @Test
    void withEveryBackendDownTheProxyAnswers503QuicklyAndServesAgainWhenOneReturns() throws Exception {
        ReboundProcess rebound = reboundExtension.rebound();
        ProxyAdmin admin = rebound.proxyAdmin();

        APACHES.cluster().servers().forEach(ApacheServer::kill);
        for (ApacheServer server : APACHES.cluster().servers()) {
            admin.awaitState(server.name(), "down", ReboundConfig.downDetection());
        }
        assertEquals(503, admin.readyStatus(), "/health/ready with every server down");

        for (int i = 0; i < 5; i++) {
            HttpAnswer answer = Http.get(rebound.proxyPort(), "/", QUICK);
            assertEquals(503, answer.status(), "with every server down");
        }

        APACHES.server("apache1").startAgain();
        HttpAnswer first = Poll.until("the proxy serving from apache1 again", ReboundConfig.upDetection(),
                () -> Http.get(rebound.proxyPort(), "/"), HttpAnswer::isOk);
        assertEquals("apache1", first.servedBy());
        for (int i = 0; i < 3; i++) {
            assertEquals("apache1", Http.get(rebound.proxyPort(), "/").servedBy());
        }
    }

    private static List<SequentialLoad.Outcome> failures(List<SequentialLoad.Outcome> outcomes) {
        return outcomes.stream().filter(outcome -> !outcome.ok()).toList();
    }

    /** The requests sent in [fromNanos, toNanos), by System.nanoTime. */
    private static List<SequentialLoad.Outcome> sentBetween(List<SequentialLoad.Outcome> outcomes, long fromNanos,
            long toNanos) {
        return outcomes.stream()
                .filter(outcome -> outcome.sentAtNanos() - fromNanos >= 0 && outcome.sentAtNanos() - toNanos < 0)
                .toList();
    }

    /** The requests sent from {@code fromNanos} on, by System.nanoTime. */
    private static List<SequentialLoad.Outcome> sentFrom(List<SequentialLoad.Outcome> outcomes, long fromNanos) {
        return outcomes.stream().filter(outcome -> outcome.sentAtNanos() - fromNanos >= 0).toList();
    }

    private static Set<String> servers(List<SequentialLoad.Outcome> outcomes) {
        return outcomes.stream().map(SequentialLoad.Outcome::servedBy).collect(Collectors.toSet());
    }

    /** Round-robin over the two servers left: no server twice in a row. */
    private static void assertAlternates(List<SequentialLoad.Outcome> outcomes) {
        for (int i = 1; i < outcomes.size(); i++) {
            assertTrue(!outcomes.get(i).servedBy().equals(outcomes.get(i - 1).servedBy()),
                    "round-robin over the servers left, but " + outcomes.get(i).servedBy() + " answered twice in a "
                            + "row at request " + i + " of " + outcomes.size());
        }
    }
}
