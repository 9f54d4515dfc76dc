package io.rebound.resolve;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rebound.testing.DnsServer;
import io.rebound.testing.Http;
import io.rebound.testing.ProxyFixture;
import io.rebound.testing.TestBackend;
import io.rebound.testing.TestProxy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Servers by name against a real DNS server (dnsmasq) and real backends on several loopback addresses. */
class ServersByNameTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Fast resolution for tests; the checks run every 300 ms with rise 2 (TestProxy). */
    private static final String RESOLVERS = """
            rebound.resolvers { interval = 200ms, timeout = 150ms, hold-nx = 1500ms, hold-timeout = 1500ms }
            """;

    @RegisterExtension
    final ProxyFixture fixture = new ProxyFixture();
    @RegisterExtension
    final DnsServer dns = new DnsServer();

    @Test
    void anAddressChangeUnderLoadMovesTrafficToTheNewAddressWithoutClientErrors() throws Exception {
        dns.start().set("app.test", "127.0.0.2");
        TestBackend old = fixture.add(TestBackend.startOn("old", "127.0.0.2", 0));
        TestBackend moved = fixture.add(TestBackend.startOn("moved", "127.0.0.3", old.port()));
        TestBackend fixed = fixture.backend("fixed");
        TestProxy proxy = fixture.startWithServers("rebound.check.rise = 4\n" + servers(
                "{ name = app, address = \"app.test:" + old.port() + "\" }",
                "{ name = fixed, address = \"" + fixed.address() + "\" }")).awaitAllUp();

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        List<String> errors = new ArrayList<>();
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<?> loop = client.submit(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (running.get() && sent.get() < 20_000 && System.nanoTime() < deadline) {
                sent.incrementAndGet();
                try {
                    HttpResponse<String> response = Http.get(proxy.uri("/"));
                    if (response.statusCode() != 200) {
                        errors.add(response.statusCode() + " " + response.body().trim());
                    }
                } catch (RuntimeException e) {
                    errors.add(e.toString());
                }
            }
        });
        try {
            await("traffic on the old address").atMost(WAIT).until(() -> old.trafficRequests() > 20);
            assertEquals(0, moved.trafficRequests());
            long changed = System.nanoTime();
            dns.set("app.test", "127.0.0.3");
            await("/servers shows app on 127.0.0.3").atMost(WAIT)
                    .until(() -> server(proxy, "app").contains("\"resolved\": \"127.0.0.3:" + old.port() + "\""));
            long seenMillis = (System.nanoTime() - changed) / 1_000_000;
            int oldAtMove = old.trafficRequests();
            // No connection to the old address is left open once the move is seen (long before pool-idle, 4 s), and
            // the new address gets nothing while it earns its rise of 4 checks.
            await("no connection left to the old address").atMost(Duration.ofSeconds(1))
                    .until(() -> old.activeConnections() == 0);
            long closedMillis = (System.nanoTime() - changed) / 1_000_000;
            assertEquals(0, moved.trafficRequests(), "traffic on the new address before rise checks passed");
            await("traffic on the new address").atMost(WAIT).until(() -> moved.trafficRequests() > 20);
            long trafficMillis = (System.nanoTime() - changed) / 1_000_000;
            running.set(false);
            loop.get();
            System.out.printf("move: seen in /servers after %d ms, traffic on the new address after %d ms, old "
                    + "connections closed after %d ms, %d requests, %d errors, %d checks before the first request%n",
                    seenMillis, trafficMillis, closedMillis, sent.get(), errors.size(),
                    moved.checksBeforeFirstTraffic());
            assertEquals(List.of(), errors);
            // The old address got at most the request in flight at the swap; the new one nothing before rise checks.
            assertTrue(old.trafficRequests() <= oldAtMove + 1, old.trafficRequests() + " > " + oldAtMove + " + 1");
            assertTrue(moved.checksBeforeFirstTraffic() >= 4, "checks before traffic: "
                    + moved.checksBeforeFirstTraffic());
            String app = server(proxy, "app");
            assertTrue(app.contains("\"state\": \"up\"") && app.contains("\"dnsError\": null"), app);
            String metrics = Http.get(proxy.adminUri("/metrics")).body();
            assertTrue(metrics.contains("rebound_server_address_changes_total{server=\"app\"} 1.0"),
                    metrics.lines().filter(line -> line.contains("address_changes")).toList().toString());
        } finally {
            running.set(false);
            client.shutdownNow();
        }
    }

    @Test
    void noSuchNameKeepsTheLastAddressForHoldNxThenTheServerIsDown() {
        dns.start().set("app.test", "127.0.0.2");
        TestBackend backend = fixture.add(TestBackend.startOn("app", "127.0.0.2", 0));
        TestProxy proxy = fixture.startWithServers(servers("{ name = app, address = \"app.test:" + backend.port()
                + "\" }")).awaitAllUp();

        long removed = System.nanoTime();
        dns.set("app.test");
        await("/servers shows the DNS error with the address held").atMost(WAIT)
                .until(() -> {
                    String app = server(proxy, "app");
                    return app.contains("\"dnsError\": \"DNS: no such name\"") && app.contains("\"state\": \"up\"");
                });
        assertEquals(200, Http.get(proxy.uri("/")).statusCode());
        await("app is down without an address").atMost(WAIT)
                .until(() -> {
                    String app = server(proxy, "app");
                    return app.contains("\"state\": \"down\"") && app.contains("\"resolved\": null");
                });
        long heldMillis = (System.nanoTime() - removed) / 1_000_000;
        System.out.printf("hold-nx 1500 ms: address held for %d ms%n", heldMillis);
        assertTrue(heldMillis >= 1500 - 200, "held " + heldMillis + " ms");
        assertTrue(server(proxy, "app").contains("\"dnsError\": \"DNS: no such name\""), server(proxy, "app"));
        assertEquals(503, Http.get(proxy.uri("/")).statusCode());
    }

    @Test
    void silentNameServersKeepTheLastAddressForHoldTimeoutThenTheServerIsDown() {
        dns.start().set("app.test", "127.0.0.2");
        TestBackend backend = fixture.add(TestBackend.startOn("app", "127.0.0.2", 0));
        TestProxy proxy = fixture.startWithServers(servers("{ name = app, address = \"app.test:" + backend.port()
                + "\" }")).awaitAllUp();

        long frozen = System.nanoTime();
        dns.freeze();
        await("app is down without an address").atMost(WAIT)
                .until(() -> {
                    String app = server(proxy, "app");
                    return app.contains("\"state\": \"down\"") && app.contains("\"resolved\": null");
                });
        long heldMillis = (System.nanoTime() - frozen) / 1_000_000;
        System.out.printf("hold-timeout 1500 ms: address held for %d ms%n", heldMillis);
        assertTrue(heldMillis >= 1500 - 200, "held " + heldMillis + " ms");
        assertTrue(server(proxy, "app").contains("\"dnsError\": \"DNS: timeout\""), server(proxy, "app"));
    }

    @Test
    void aGroupNameBalancesOverItsAddressesAndFollowsDnsAsItGrowsAndShrinks() {
        dns.start().set("web.test", "127.0.0.2", "127.0.0.3", "127.0.0.4");
        TestBackend a = fixture.add(TestBackend.startOn("a", "127.0.0.2", 0));
        TestBackend b = fixture.add(TestBackend.startOn("b", "127.0.0.3", a.port()));
        TestBackend c = fixture.add(TestBackend.startOn("c", "127.0.0.4", a.port()));
        TestBackend d = fixture.add(TestBackend.startOn("d", "127.0.0.5", a.port()));
        TestProxy proxy = fixture.startWithServers(servers("{ name = web, address = \"web.test:" + a.port()
                + "\", addresses = all, max = 5 }"));
        awaitUp(proxy, 3);
        assertTrue(server(proxy, "web-5").contains("\"state\": \"no address\""), server(proxy, "web-5"));
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), bodies(proxy, 6));

        dns.set("web.test", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");
        awaitUp(proxy, 4);
        assertTrue(server(proxy, "web-4").contains("\"resolved\": \"127.0.0.5:" + a.port() + "\""));
        assertEquals(4, bodies(proxy, 8).stream().distinct().count());

        dns.set("web.test", "127.0.0.4", "127.0.0.5");
        awaitUp(proxy, 2);
        await("web-1 and web-2 have no address").atMost(WAIT)
                .until(() -> server(proxy, "web-1").contains("no address")
                && server(proxy, "web-2").contains("no address"));
        assertTrue(server(proxy, "web-3").contains("\"resolved\": \"127.0.0.4:" + a.port() + "\""),
                "an address keeps its slot: " + server(proxy, "web-3"));
        int before = a.trafficRequests() + b.trafficRequests();
        assertEquals(List.of("c", "d", "c", "d"), bodies(proxy, 4));
        assertEquals(before, a.trafficRequests() + b.trafficRequests());
    }

    @Test
    void aNameThatDoesNotResolveAtStartStartsDownAndComesUpOnceDnsHasIt() {
        dns.start();
        TestBackend backend = fixture.add(TestBackend.startOn("app", "127.0.0.2", 0));
        TestProxy proxy = fixture.startWithServers(servers("{ name = app, address = \"app.test:" + backend.port()
                + "\" }"));
        assertEquals(200, Http.get(proxy.adminUri("/health/started")).statusCode());
        String app = server(proxy, "app");
        assertTrue(app.contains("\"state\": \"down\"") && app.contains("\"dnsError\": \"DNS: no such name\""), app);
        assertEquals(503, Http.get(proxy.uri("/")).statusCode());

        long added = System.nanoTime();
        dns.set("app.test", "127.0.0.2");
        proxy.awaitAllUp();
        System.out.printf("unresolved at start: up %d ms after DNS had the name%n",
                (System.nanoTime() - added) / 1_000_000);
        assertEquals("app", Http.get(proxy.uri("/")).body().trim());
    }

    private String servers(String... entries) {
        return dns.nameserversHocon() + RESOLVERS + "rebound.servers = [\n" + String.join("\n", entries) + "\n]\n";
    }

    private static void awaitUp(TestProxy proxy, int count) {
        await(count + " servers up").atMost(WAIT).until(() -> proxy.server().servers().upServers().size() == count);
    }

    private static List<String> bodies(TestProxy proxy, int count) {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add(Http.get(proxy.uri("/")).body().trim());
        }
        return bodies;
    }

    /** The line of {@code /servers} for one server (one server per line). */
    private static String server(TestProxy proxy, String name) {
        return Http.get(proxy.adminUri("/servers")).body().lines()
                .filter(line -> line.contains("{\"name\": \"" + name + "\"")).findFirst().orElse("");
    }
}
