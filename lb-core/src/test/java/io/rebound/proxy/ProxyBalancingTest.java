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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        assertEquals("close", backends.get(0).lastTrafficHeaders().get("connection").get(0));
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
        backends.get(0).delayTraffic(5000);
        // Park one request on the slow server (those that land on the fast one finish at once).
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int attempt = 0; attempt < 10 && backends.get(0).trafficRequests() < 1; attempt++) {
            int before = backends.get(0).trafficRequests();
            CompletableFuture<HttpResponse<String>> response = Http.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            held.add(response);
            await("the request reached a server").atMost(Duration.ofSeconds(4))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> response.isDone() || backends.get(0).trafficRequests() > before);
        }
        assertEquals(1, backends.get(0).trafficRequests(), "requests parked on the slow server");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            // The proxy counts an exchange down just after its answer: pick only once the fast server is idle again.
            await("fast idle in the proxy's count").atMost(Duration.ofSeconds(4))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> inFlight("fast") == 0);
            counts.merge(Http.get(proxy.uri("/")).body().trim(), 1, Integer::sum);
        }
        assertEquals(Map.of("fast", 10), counts);
        for (CompletableFuture<HttpResponse<String>> response : held) {
            assertEquals(200, response.get().statusCode());
        }
    }

    /** The proxy's in-flight requests to {@code server}, from its admin endpoint {@code /servers}. */
    private int inFlight(String server) {
        String servers = Http.get(proxy.adminUri("/servers")).body();
        Matcher matcher = Pattern.compile("(?s)\"name\": \"" + server + "\".*?\"inFlight\": (\\d+)").matcher(servers);
        if (!matcher.find()) {
            throw new AssertionError("no inFlight of " + server + " in " + servers);
        }
        return Integer.parseInt(matcher.group(1));
    }
}
