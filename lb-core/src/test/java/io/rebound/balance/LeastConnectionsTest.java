package io.rebound.balance;

import static io.rebound.balance.BalancerTestSupport.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeastConnectionsTest {

    @Test
    void theServerWithFewestInFlightRequestsIsPicked() {
        List<Server> servers = servers(1, 1, 1);
        servers.get(0).requestStarted();
        servers.get(0).requestStarted();
        servers.get(2).requestStarted();
        LeastConnections balancer = new LeastConnections();
        for (int i = 0; i < 5; i++) {
            assertEquals("s2", balancer.pick(servers).name());
        }
    }

    @Test
    void idleServersShareRequestsEvenly() {
        List<Server> servers = servers(1, 1, 1);
        LeastConnections balancer = new LeastConnections();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            counts.merge(balancer.pick(servers).name(), 1, Integer::sum);
        }
        assertEquals(Map.of("s1", 100, "s2", 100, "s3", 100), counts);
    }

    @Test
    void heldRequestsSpreadInProportionToWeight() {
        List<Server> servers = servers(2, 1);
        LeastConnections balancer = new LeastConnections();
        for (int i = 0; i < 30; i++) {
            balancer.pick(servers).requestStarted();
        }
        assertEquals(20, servers.get(0).inFlight());
        assertEquals(10, servers.get(1).inFlight());
    }
}
