package io.rebound.supervisor.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficHistoryTest {

    private static TrafficSample sample(long t, long requests) {
        return new TrafficSample(t, 1000, 1, new TrafficCounts(requests, List.of(0L, requests, 0L, 0L, 0L, 0L), 0));
    }

    @Test
    void keepsTheLastCapacitySamplesOldestFirst() {
        TrafficHistory history = new TrafficHistory(3);
        for (long t = 1; t <= 5; t++) {
            history.add(sample(t * 1000, t));
        }
        assertEquals(List.of(3000L, 4000L, 5000L), history.samples().stream().map(TrafficSample::epochMillis).toList());
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TrafficHistory(0));
    }

    @Test
    void trafficJsonListsTheSamplesAfterSince_withTheirRatesInputs() {
        TrafficHistory history = new TrafficHistory(10);
        history.add(sample(1000, 4));
        history.add(sample(2000, 6));

        String all = HistoryJson.traffic(history, 1000, 0);
        String newer = HistoryJson.traffic(history, 1000, 1000);

        assertTrue(all.startsWith("{\"intervalMillis\": 1000, \"capacity\": 10, \"classes\": [\"1xx\", \"2xx\", "
                + "\"3xx\", \"4xx\", \"5xx\", \"other\"], \"samples\": [\n  {\"t\": 1000, \"ms\": 1000, "
                + "\"proxies\": 1, "
                + "\"requests\": 4, \"responses\": [0, 4, 0, 0, 0, 0], \"proxyErrors\": 0},"), all);
        assertTrue(!newer.contains("\"t\": 1000,") && newer.contains("\"t\": 2000,"), newer);
    }
}
