package io.rebound.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The candidate with the fewest in-flight requests per unit of weight (HAProxy: leastconn). Ties go round-robin, so
 * idle servers share the light load evenly instead of the first one taking it all.
 */
public final class LeastConnections implements Balancer {
    private final AtomicInteger tieBreaker = new AtomicInteger();

    @Override
    public Server pick(List<Server> candidates) {
        int size = candidates.size();
        int start = Math.floorMod(tieBreaker.getAndIncrement(), size);
        Server best = candidates.get(start);
        for (int i = 1; i < size; i++) {
            Server server = candidates.get((start + i) % size);
            // a/wa < b/wb  <=>  a*wb < b*wa (weights are positive)
            long load = (long) server.inFlight() * best.weight();
            long bestLoad = (long) best.inFlight() * server.weight();
            if (load < bestLoad) {
                best = server;
            }
        }
        return best;
    }
}
