package io.rebound.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exact round-robin over the servers that are up: with three up, requests go 1,2,3,1,2,3. A down server drops out of
 * the candidates, so the others keep their order.
 *
 * <p>The counter is a long: an int counter wraps after 2^31 requests and, since 2^32 is not a multiple of most server
 * counts, sends two requests in a row to one server at the wrap. A long wraps after 292 years at a billion requests per
 * second. {@link Math#floorMod} keeps the index non-negative in any case.
 */
public final class RoundRobin implements Balancer {
    private final AtomicLong counter;

    public RoundRobin() {
        this(0);
    }

    /** Starts the counter at {@code start}; tests use it to prove the order across the int range. */
    RoundRobin(long start) {
        this.counter = new AtomicLong(start);
    }

    @Override
    public Server pick(List<Server> candidates) {
        return candidates.get((int) Math.floorMod(counter.getAndIncrement(), (long) candidates.size()));
    }
}
