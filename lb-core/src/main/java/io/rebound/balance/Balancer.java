package io.rebound.balance;

import java.util.List;

/** Picks the server for the next request. Implementations are thread-safe and called on I/O threads: no blocking. */
public interface Balancer {

    /**
     * @param candidates the servers that may take the request, in configuration order; never empty
     * @return one of {@code candidates}
     */
    Server pick(List<Server> candidates);
}
