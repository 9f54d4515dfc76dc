package io.rebound.balance;

/** The {@code rebound.balance} words; each makes a fresh {@link Balancer}. */
public enum BalanceAlgorithm {
    ROUND_ROBIN,
    WEIGHTED_ROUND_ROBIN,
    LEAST_CONNECTIONS;

    public Balancer newBalancer() {
        return switch (this) {
            case ROUND_ROBIN -> new RoundRobin();
            case WEIGHTED_ROUND_ROBIN -> new SmoothWeightedRoundRobin();
            case LEAST_CONNECTIONS -> new LeastConnections();
        };
    }
}
