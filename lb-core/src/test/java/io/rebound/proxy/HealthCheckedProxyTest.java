package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.balance.Server;
import io.rebound.testing.Http;
import io.rebound.testing.ProxyFixture;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

class HealthCheckedProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private TestProxy proxy;

    private List<TestBackend> start(String hocon) {
        for (String name : List.of("apache1", "apache2", "apache3")) {
            fixture.backend(name);
        }
        proxy = fixture.start(hocon);
        return fixture.backends();
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
        TestBackend apache2 = start("rebound.check { fall = 3, rise = 2 }\n").get(1);
        apache2.answer(500);
        await("apache2 is down").atMost(WAIT).until(() -> !isUp("apache2"));
        int trafficWhenDown = apache2.trafficRequests();
        for (int i = 0; i < 12; i++) {
            String body = Http.get(proxy.uri("/")).body().trim();
            assertTrue(body.equals("apache1") || body.equals("apache3"), body);
        }
        assertEquals(trafficWhenDown, apache2.trafficRequests(), "requests other than checks reached apache2");
    }

    @Test
    void aDownServerNeedsFallConsecutiveFailuresAndRiseConsecutivePassesAndThenGetsTrafficAgain() {
        TestBackend apache3 = start("rebound.check { fall = 3, rise = 2 }\n").get(2);
        apache3.answer(503);
        await("apache3 is down").atMost(WAIT).until(() -> !isUp("apache3"));
        assertTrue(apache3.requests() >= 3, "at least fall=3 checks before going down: " + apache3.requests());
        int failedChecks = apache3.requests();
        apache3.answer(200);
        await("apache3 is up again").atMost(WAIT).until(() -> isUp("apache3"));
        assertTrue(apache3.requests() - failedChecks >= 2, "at least rise=2 passing checks before coming up");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            bodies.add(Http.get(proxy.uri("/")).body().trim());
        }
        assertTrue(bodies.contains("apache3"), bodies.toString());
    }

    @Test
    void aStoppedServerIsTakenOutAndTheOthersKeepServing() {
        start("").get(0).close();
        await("apache1 is down").atMost(WAIT).until(() -> !isUp("apache1"));
        for (int i = 0; i < 6; i++) {
            assertEquals(200, Http.get(proxy.uri("/")).statusCode());
        }
    }

    @Test
    void aServerThatIsDownAtStartGetsNoTrafficUntilItsFirstPassingCheck() {
        fixture.backend("apache1");
        TestBackend apache2 = fixture.backend("apache2");
        apache2.answer(500);
        proxy = fixture.start("");
        assertTrue(isUp("apache1"));
        assertTrue(!isUp("apache2"));
        for (int i = 0; i < 4; i++) {
            assertEquals("apache1", Http.get(proxy.uri("/")).body().trim());
        }
        apache2.answer(200);
        await("apache2 comes up").atMost(WAIT).until(() -> isUp("apache2"));
    }
}
