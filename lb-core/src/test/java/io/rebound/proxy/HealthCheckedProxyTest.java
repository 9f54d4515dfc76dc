package io.rebound.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.balance.Server;
import io.rebound.testing.Await;
import io.rebound.testing.Http;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckedProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<TestBackend> backends = new ArrayList<>();
    private TestProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        backends.forEach(TestBackend::close);
    }

    private void start(String hocon) {
        for (String name : List.of("apache1", "apache2", "apache3")) {
            backends.add(TestBackend.start(name));
        }
        proxy = TestProxy.start(backends, hocon);
    }

    private boolean isUp(String name) {
        Server server = proxy.server().servers().all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow();
        return proxy.server().servers().isUp(server);
    }

    @Test
    void everyServerIsUpWhenStartReturnsBecauseTheFirstRoundOfChecksRunsBeforeIt() {
        start("");
        assertEquals(3, proxy.server().servers().upServers().size());
        assertTrue(proxy.server().isStarted());
    }

    @Test
    void aServerAnswering500GoesDownAfterFallFailuresAndGetsNoTraffic() {
        start("rebound.check { fall = 3, rise = 2 }\n");
        TestBackend apache2 = backends.get(1);
        apache2.answer(500);
        Await.until(WAIT, "apache2 is down", () -> !isUp("apache2"));
        int trafficWhenDown = apache2.trafficRequests();
        for (int i = 0; i < 12; i++) {
            String body = Http.get(proxy.uri("/")).body().trim();
            assertTrue(body.equals("apache1") || body.equals("apache3"), body);
        }
        assertEquals(trafficWhenDown, apache2.trafficRequests(), "requests other than checks reached apache2");
    }

    @Test
    void aDownServerNeedsFallConsecutiveFailuresAndRiseConsecutivePassesAndThenGetsTrafficAgain() {
        start("rebound.check { fall = 3, rise = 2 }\n");
        TestBackend apache3 = backends.get(2);
        apache3.answer(503);
        Await.until(WAIT, "apache3 is down", () -> !isUp("apache3"));
        assertTrue(apache3.requests() >= 3, "at least fall=3 checks before going down: " + apache3.requests());
        int failedChecks = apache3.requests();
        apache3.answer(200);
        Await.until(WAIT, "apache3 is up again", () -> isUp("apache3"));
        assertTrue(apache3.requests() - failedChecks >= 2, "at least rise=2 passing checks before coming up");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bodies.add(Http.get(proxy.uri("/")).body().trim());
        }
        assertTrue(bodies.contains("apache3"), bodies.toString());
    }

    @Test
    void aStoppedServerIsTakenOutAndTheOthersKeepServing() {
        start("");
        backends.get(0).close();
        Await.until(WAIT, "apache1 is down", () -> !isUp("apache1"));
        for (int i = 0; i < 6; i++) {
            assertEquals(200, Http.get(proxy.uri("/")).statusCode());
        }
    }

    @Test
    void aServerThatIsDownAtStartGetsNoTrafficUntilItsFirstPassingCheck() {
        for (String name : List.of("apache1", "apache2")) {
            backends.add(TestBackend.start(name));
        }
        backends.get(1).answer(500);
        proxy = TestProxy.start(backends, "");
        assertTrue(isUp("apache1"));
        assertTrue(!isUp("apache2"));
        for (int i = 0; i < 4; i++) {
            assertEquals("apache1", Http.get(proxy.uri("/")).body().trim());
        }
        backends.get(1).answer(200);
        Await.until(WAIT, "apache2 comes up", () -> isUp("apache2"));
    }
}
