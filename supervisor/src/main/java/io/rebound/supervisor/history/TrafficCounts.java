package io.rebound.supervisor.history;

import java.util.List;
import java.util.Objects;

/**
 * Traffic counters: requests the proxy received, responses of the servers by status class (1xx, 2xx, 3xx, 4xx, 5xx,
 * other, in the order of {@link #CLASSES}) and requests the proxy refused itself. Cumulative as a proxy reports them,
 * or the difference between two reports.
 */
public record TrafficCounts(long requests, List<Long> responses, long proxyErrors) {
    /** The response classes, as the proxy's {@code /traffic} names them. */
    public static final List<String> CLASSES = List.of("1xx", "2xx", "3xx", "4xx", "5xx", "other");
    public static final TrafficCounts ZERO = new TrafficCounts(0, List.of(0L, 0L, 0L, 0L, 0L, 0L), 0);

    public TrafficCounts {
        responses = List.copyOf(Objects.requireNonNull(responses, "responses"));
        if (responses.size() != CLASSES.size()) {
            throw new IllegalArgumentException("responses: " + responses.size() + " classes (expected: "
                    + CLASSES.size() + ", " + CLASSES + ")");
        }
    }

    /** Whether any counter here is lower than in {@code earlier}: then these are not the same process's counters. */
    boolean anyBelow(TrafficCounts earlier) {
        if (requests < earlier.requests || proxyErrors < earlier.proxyErrors) {
            return true;
        }
        for (int i = 0; i < responses.size(); i++) {
            if (responses.get(i) < earlier.responses.get(i)) {
                return true;
            }
        }
        return false;
    }

    TrafficCounts minus(TrafficCounts earlier) {
        return combine(earlier, -1);
    }

    TrafficCounts plus(TrafficCounts other) {
        return combine(other, 1);
    }

    private TrafficCounts combine(TrafficCounts other, int sign) {
        Long[] sum = new Long[responses.size()];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = responses.get(i) + sign * other.responses.get(i);
        }
        return new TrafficCounts(requests + sign * other.requests, List.of(sum),
                proxyErrors + sign * other.proxyErrors);
    }
}
