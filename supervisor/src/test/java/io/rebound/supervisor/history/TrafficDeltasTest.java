package io.rebound.supervisor.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficDeltasTest {
    private final TrafficDeltas deltas = new TrafficDeltas();

    private static ProxyReading reading(long pid, long requests, long success, long serverErrors, long proxyErrors) {
        return new ProxyReading(pid, new TrafficCounts(requests, List.of(0L, success, 0L, 0L, serverErrors, 0L),
                proxyErrors));
    }

    private static TrafficCounts counts(long requests, long success, long serverErrors, long proxyErrors) {
        return new TrafficCounts(requests, List.of(0L, success, 0L, 0L, serverErrors, 0L), proxyErrors);
    }

    @Test
    void aProcessSeenForTheFirstTimeCountsAllItCounted_thenOnlyTheIncrease() {
        assertEquals(counts(5, 4, 1, 0), deltas.next(List.of(reading(100, 5, 4, 1, 0))));
        assertEquals(counts(7, 7, 0, 0), deltas.next(List.of(reading(100, 12, 11, 1, 0))));
        assertEquals(TrafficCounts.ZERO, deltas.next(List.of(reading(100, 12, 11, 1, 0))));
    }

    @Test
    void aChildRestartedUnderANewPidCountsFromItsNewValue_neverNegative() {
        deltas.next(List.of(reading(100, 50, 50, 0, 0)));

        TrafficCounts afterRestart = deltas.next(List.of(reading(200, 3, 3, 0, 0)));

        assertEquals(counts(3, 3, 0, 0), afterRestart);
    }

    @Test
    void aCounterThatWentDownUnderTheSamePidIsANewProcess_countedFromItsNewValue() {
        deltas.next(List.of(reading(100, 50, 50, 0, 0)));

        assertEquals(counts(2, 2, 0, 0), deltas.next(List.of(reading(100, 2, 2, 0, 0))));
        assertEquals(counts(1, 1, 0, 0), deltas.next(List.of(reading(100, 3, 3, 0, 0))));
    }

    @Test
    void theIncreasesOfAllProxiesAreSummed_andOneThatDidNotAnswerIsNotCountedTwice() {
        deltas.next(List.of(reading(100, 10, 10, 0, 0), reading(101, 20, 19, 0, 1)));

        assertEquals(counts(3, 3, 0, 0), deltas.next(List.of(reading(100, 13, 13, 0, 0))));
        assertEquals(counts(6, 4, 1, 1), deltas.next(List.of(reading(100, 14, 14, 0, 0),
                reading(101, 25, 22, 1, 2))));
    }

    @Test
    void aProcessThatStoppedAnsweringIsForgottenAfterAMinuteOfSamples() {
        deltas.next(List.of(reading(100, 10, 10, 0, 0), reading(101, 10, 10, 0, 0)));
        for (int i = 0; i < TrafficDeltas.FORGET_AFTER; i++) {
            deltas.next(List.of(reading(100, 10, 10, 0, 0)));
        }
        assertEquals(2, deltas.known(), "missed " + TrafficDeltas.FORGET_AFTER + " samples: still remembered");

        deltas.next(List.of(reading(100, 10, 10, 0, 0)));

        assertEquals(1, deltas.known());
    }
}
