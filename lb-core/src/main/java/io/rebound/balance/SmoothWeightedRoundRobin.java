package io.rebound.balance;

import java.util.List;

/**
 * nginx's smooth weighted round-robin: each pick adds every candidate's weight to its current weight, takes the
 * candidate with the highest current weight and subtracts the total from it. Weights 5,1,1 give a,a,b,a,c,a,a rather
 * than a,a,a,a,a,b,c. The current weights live on the servers, so a candidate list without a down server keeps the
 * others' progress.
 */
public final class SmoothWeightedRoundRobin implements Balancer {

    @Override
    public Server pick(List<Server> candidates) {
        synchronized (this) {
            int total = 0;
            Server best = null;
            for (Server server : candidates) {
                int weight = server.weight();
                server.currentWeight += weight;
                total += weight;
                if (best == null || server.currentWeight > best.currentWeight) {
                    best = server;
                }
            }
            best.currentWeight -= total;
            return best;
        }
    }
}
