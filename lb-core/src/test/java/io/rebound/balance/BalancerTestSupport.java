package io.rebound.balance;

import io.rebound.config.HostPort;
import java.util.ArrayList;
import java.util.List;

final class BalancerTestSupport {

    private BalancerTestSupport() {
    }

    static List<Server> servers(int... weights) {
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            servers.add(new Server(new ServerSettings("s" + (i + 1), new HostPort("127.0.0.1", 8081 + i), weights[i],
                    true), i));
        }
        return servers;
    }

    static String picks(Balancer balancer, List<Server> candidates, int count) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < count; i++) {
            names.append(i == 0 ? "" : ",").append(balancer.pick(candidates).name());
        }
        return names.toString();
    }
}
