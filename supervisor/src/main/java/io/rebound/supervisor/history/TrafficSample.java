package io.rebound.supervisor.history;

import java.util.Objects;

/**
 * What all proxies counted in one sampling interval.
 *
 * @param epochMillis when the sample was taken
 * @param intervalMillis the time since the previous sample (about a second; longer on a busy machine)
 * @param proxies how many proxy processes answered
 * @param counts the differences, summed over the proxies
 */
public record TrafficSample(long epochMillis, long intervalMillis, int proxies, TrafficCounts counts) {
    public TrafficSample {
        Objects.requireNonNull(counts, "counts");
    }
}
