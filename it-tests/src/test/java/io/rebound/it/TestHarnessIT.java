package io.rebound.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ground the drills stand on, checked without Rebound: the Apache containers behave as the drills assume, each at
 * a loopback address that survives a kill.
 */
class TestHarnessIT {
    private static ApacheCluster apaches;

    @BeforeAll
    static void startApaches() {
        apaches = ApacheCluster.start();
    }

    @AfterEach
    void restoreApaches() {
        apaches.restoreAll();
    }

    @AfterAll
    static void removeApaches() {
        if (apaches != null) {
            apaches.close();
        }
    }

    @Test
    void eachApacheAnswersWithItsHostnameOnItsLoopbackPort() throws Exception {
        for (ApacheServer server : apaches.servers()) {
            HttpAnswer answer = Http.get(server.port(), "/");
            assertEquals(200, answer.status(), server.name());
            assertEquals("This is " + server.name(), answer.body().strip());
        }
    }

    @Test
    void aKilledApacheRefusesConnectionsThenServesAgainAtTheSameAddressAfterStart() throws Exception {
        ApacheServer apache2 = apaches.server("apache2");
        int port = apache2.port();

        apache2.kill();
        assertThrows(ConnectException.class, () -> Http.get(port, "/"));

        apache2.startAgain();
        assertEquals(port, apache2.port());
        assertEquals("apache2", Http.get(port, "/").servedBy());
    }

    @Test
    void aPausedApacheAnswersNothingUntilUnpaused() throws Exception {
        ApacheServer apache3 = apaches.server("apache3");

        apache3.pause();
        assertThrows(SocketTimeoutException.class, () -> Http.get(apache3.port(), "/", Duration.ofMillis(700)));

        apache3.unpause();
        assertEquals("apache3", Http.get(apache3.port(), "/").servedBy());
    }
}
