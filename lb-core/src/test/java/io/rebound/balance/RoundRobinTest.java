package io.rebound.balance;

import static io.rebound.balance.BalancerTestSupport.picks;
import static io.rebound.balance.BalancerTestSupport.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    @Test
    void nineRequestsOverThreeServersGoOneTwoThreeThreeTimes() {
        assertEquals("s1,s2,s3,s1,s2,s3,s1,s2,s3", picks(new RoundRobin(), servers(1, 1, 1), 9));
    }

    @Test
    void theOrderStaysExactWhereAnIntCounterWouldWrap() {
        RoundRobin balancer = new RoundRobin(Integer.MAX_VALUE - 4);
        List<Server> servers = servers(1, 1, 1);
        String first = balancer.pick(servers).name();
        String rest = picks(balancer, servers, 11);
        String expected = switch (first) {
            case "s1" -> "s2,s3,s1,s2,s3,s1,s2,s3,s1,s2,s3";
            case "s2" -> "s3,s1,s2,s3,s1,s2,s3,s1,s2,s3,s1";
            default -> "s1,s2,s3,s1,s2,s3,s1,s2,s3,s1,s2";
        };
        assertEquals(expected, rest);
    }

    @Test
    void theOrderStaysExactAcrossTheLongCounterWrapToo() {
        assertAlternates(picks(new RoundRobin(Long.MAX_VALUE - 2), servers(1, 1), 6));
    }

    @Test
    void aDownServerIsSkippedAndTheOthersKeepTheirOrder() {
        List<Server> all = servers(1, 1, 1);
        RoundRobin balancer = new RoundRobin();
        assertEquals("s1,s2,s3", picks(balancer, all, 3));
        String withoutS2 = picks(balancer, List.of(all.get(0), all.get(2)), 6);
        assertAlternates(withoutS2);
        assertTrue(withoutS2.contains("s1") && withoutS2.contains("s3") && !withoutS2.contains("s2"), withoutS2);
    }

    private static void assertAlternates(String sequence) {
        String[] names = sequence.split(",");
        for (int i = 1; i < names.length; i++) {
            assertNotEquals(names[i - 1], names[i], "the same server twice in a row: " + sequence);
        }
    }
}
