package io.rebound.supervisor.history;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the cumulative counters of the proxy processes into what happened since the previous sample, summed over all
 * of them. A process is known by its pid. A process not seen before counts from zero: every proxy is started by this
 * supervisor, so all it counted is new. A counter that went down means a new process behind the same pid: it counts
 * from its new value, so a difference is never negative. A process that did not answer keeps its last counters for
 * {@link #FORGET_AFTER} samples, so that a slow answer is not counted twice; after that it has ended. Used by one
 * thread, the sampler's.
 */
final class TrafficDeltas {
    /** Samples after which a process that stopped answering is forgotten: a minute at one sample a second. */
    static final int FORGET_AFTER = 60;

    private record Last(TrafficCounts counts, long sample) {
    }

    private final Map<Long, Last> last = new HashMap<>();
    private long samples;

    /** What the processes of {@code readings} counted since the previous call, summed. */
    TrafficCounts next(List<ProxyReading> readings) {
        samples++;
        TrafficCounts sum = TrafficCounts.ZERO;
        for (ProxyReading reading : readings) {
            Last before = last.get(reading.pid());
            TrafficCounts since = before == null || reading.counts().anyBelow(before.counts()) ? reading.counts()
                    : reading.counts().minus(before.counts());
            sum = sum.plus(since);
            last.put(reading.pid(), new Last(reading.counts(), samples));
        }
        last.values().removeIf(known -> samples - known.sample() > FORGET_AFTER);
        return sum;
    }

    /** How many processes are remembered. */
    int known() {
        return last.size();
    }
}
