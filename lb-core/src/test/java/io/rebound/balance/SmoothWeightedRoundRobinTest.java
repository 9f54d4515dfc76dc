package io.rebound.balance;

import static io.rebound.balance.BalancerTestSupport.picks;
import static io.rebound.balance.BalancerTestSupport.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinTest {

    @Test
    void weightsFiveOneOneAreInterleavedAsNginxDoes() {
        assertEquals("s1,s1,s2,s1,s3,s1,s1", picks(new SmoothWeightedRoundRobin(), servers(5, 1, 1), 7));
    }

    @Test
    void requestsAreSharedInProportionToWeight() {
        String sequence = picks(new SmoothWeightedRoundRobin(), servers(3, 2, 1), 600);
        List<String> names = Arrays.asList(sequence.split(","));
        assertEquals(300, names.stream().filter("s1"::equals).count());
        assertEquals(200, names.stream().filter("s2"::equals).count());
        assertEquals(100, names.stream().filter("s3"::equals).count());
    }

    @Test
    void equalWeightsGiveExactRoundRobin() {
        assertEquals("s1,s2,s3,s1,s2,s3", picks(new SmoothWeightedRoundRobin(), servers(2, 2, 2), 6));
    }
}
