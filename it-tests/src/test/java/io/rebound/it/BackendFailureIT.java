package io.rebound.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    /** A "quick" 503: milliseconds in practice; a proxy that waited on a dead server would take seconds. */
    private static final Duration QUICK = Duration.ofSeconds(1);

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
        Outage outage = Outage.of(reboundExtension.rebound(), APACHES.server("apache2"), ApacheServer::kill,
                ApacheServer::startAgain);

        assertEquals(List.of(), outage.failures(), "client-visible errors");
        assertEquals(Set.of("apache1", "apache3"), Outage.servers(outage.whileDown()),
                "servers while apache2 was down");
        assertAlternates(outage.whileDown());
        assertEquals(Set.of("apache1", "apache2", "apache3"), Outage.servers(outage.afterUp()),
                "servers once apache2 was back up");
    }

    @Test
    void aHungBackendFailsOnlyRequestsAlreadySentToItGoesDownAndReturnsAfterUnpause() throws Exception {
        Outage outage = Outage.of(reboundExtension.rebound(), APACHES.server("apache3"), ApacheServer::pause,
                ApacheServer::unpause);

        for (SequentialLoad.Outcome failed : outage.failures()) {
            assertTrue(failed.sentAtNanos() - outage.downSeenAt() < 0,
                    "a request sent after apache3 was down failed: " + failed);
            assertTrue(failed.answer() != null && failed.answer().status() >= 500,
                    "a request to the hung server must end in the proxy's 5xx, not a client timeout: " + failed);
            assertTrue(failed.answer().took().compareTo(ReboundConfig.RESPONSE_TIMEOUT.plusSeconds(2)) <= 0,
                    "a request to the hung server must end by the response timeout: " + failed);
        }
        assertEquals(Set.of("apache1", "apache2"), Outage.servers(outage.whileDown()),
                "servers while apache3 was down");
        assertEquals(Set.of("apache1", "apache2", "apache3"), Outage.servers(outage.afterUp()),
                "servers once apache3 was back up");
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
        HttpAnswer first = await("the proxy serving from apache1 again")
                .atMost(ReboundConfig.upDetection()).ignoreExceptionsInstanceOf(Exception.class)
                .until(() -> Http.get(rebound.proxyPort(), "/"), HttpAnswer::isOk);
        assertEquals("apache1", first.servedBy());
        for (int i = 0; i < 3; i++) {
            assertEquals("apache1", Http.get(rebound.proxyPort(), "/").servedBy());
        }
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
