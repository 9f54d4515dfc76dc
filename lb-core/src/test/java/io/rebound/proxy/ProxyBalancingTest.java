package io.rebound.proxy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rebound.testing.Http;
import io.rebound.testing.ProxyFixture;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

class ProxyBalancingTest {
    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    private TestProxy proxy;

    private List<TestBackend> start(String hocon, String... names) {
        for (String name : names) {
            fixture.backend(name);
        }
        proxy = fixture.start(hocon).awaitAllUp();
        return fixture.backends();
    }

    @Test
    void nineSequentialRequestsGoToTheThreeServersInExactRoundRobinOrder() {
        start("", "apache1", "apache2", "apache3");
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            order.append(Http.get(proxy.uri("/")).body().trim()).append(' ');
        }
        assertEquals("apache1 apache2 apache3 apache1 apache2 apache3 apache1 apache2 apache3 ", order.toString());
    }

    @Test
    void closeModeKeepsTheExactOrderAndOpensAConnectionPerRequest() {
        List<TestBackend> backends = start("rebound.server-connection = close\n", "apache1", "apache2", "apache3");
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            order.append(Http.get(proxy.uri("/")).body().trim()).append(' ');
        }
        assertEquals("apache1 apache2 apache3 apache1 apache2 apache3 ", order.toString());
        assertEquals("close", backends.get(0).lastRequestHeaders().get("connection").get(0));
        for (TestBackend backend : backends) {
            await(backend.name() + " has no connection left open").atMost(Duration.ofSeconds(5))
                    .until(() -> backend.activeConnections() == 0);
        }
    }

    @Test
    void weightedRoundRobinSharesRequestsInProportionToWeight() {
        TestBackend heavy = fixture.backend("heavy");
        TestBackend light = fixture.backend("light");
        proxy = fixture.startWithServers("""
                rebound.balance = weighted-round-robin
                rebound.servers = [
                  { name = heavy, address = "%s", weight = 3 }
                  { name = light, address = "%s", weight = 1 }
                ]
                """.formatted(heavy.address(), light.address()));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            counts.merge(Http.get(proxy.uri("/")).body().trim(), 1, Integer::sum);
        }
        assertEquals(Map.of("heavy", 30, "light", 10), counts);
    }

    @Test
    void leastConnectionsSendsNewRequestsAwayFromTheServerThatIsBusy() throws Exception {
        List<TestBackend> backends = start("rebound.balance = least-connections\n", "slow", "fast");
        backends.get(0).delay(2000);
        // Park two requests on the slow server (requests that land on the fast one finish at once): the slow one has
        // two in flight, the fast one at most one, even while a finished exchange is still being counted down.
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int attempt = 0; attempt < 10 && backends.get(0).requests() < 2; attempt++) {
            int before = backends.get(0).requests();
            CompletableFuture<HttpResponse<String>> response = Http.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            held.add(response);
            // Polled closely: all attempts must fit well inside the slow server's 2 s, or its first request ends.
            await("the request reached a server").atMost(Duration.ofSeconds(5))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> response.isDone() || backends.get(0).requests() > before);
        }
        assertEquals(2, backends.get(0).requests());
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            counts.merge(Http.get(proxy.uri("/")).body().trim(), 1, Integer::sum);
        }
        assertEquals(Map.of("fast", 10), counts);
        for (CompletableFuture<HttpResponse<String>> response : held) {
            assertEquals(200, response.get().statusCode());
        }
    }
}
