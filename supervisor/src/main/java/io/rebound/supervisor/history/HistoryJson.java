package io.rebound.supervisor.history;

import static io.rebound.admin.JsonText.quote;

import java.time.Instant;
import java.util.List;

/**
 * The JSON of the status page's data, written by hand as the rest of the admin's:
 * <pre>
 * GET /traffic: {"intervalMillis": 1000, "capacity": 600, "classes": ["1xx", "2xx", "3xx", "4xx", "5xx", "other"],
 *   "samples": [{"t": 1764754000000, "ms": 1001, "proxies": 1, "requests": 12, "responses": [0, 11, 0, 1, 0, 0],
 *                "proxyErrors": 0}]}
 * GET /events: {"capacity": 100, "events": [{"t": 1764754000000, "time": "2026-12-03T09:26:40Z", "kind": "restart",
 *   "outcome": "signal", "detail": "pid 4711 ended with signal 9 (KILL); restart 1, a new proxy starts in 100ms"}]}
 * </pre>
 * Samples and events are oldest first; {@code t} is epoch milliseconds, {@code ms} the sample's interval (its counts
 * divided by it are rates). {@code since} leaves out samples taken at or before it, so a page asks only for new ones.
 */
public final class HistoryJson {

    private HistoryJson() {
    }

    public static String traffic(TrafficHistory history, long intervalMillis, long since) {
        StringBuilder json = new StringBuilder("{\"intervalMillis\": ").append(intervalMillis)
                .append(", \"capacity\": ").append(history.capacity())
                .append(", \"classes\": [");
        for (int i = 0; i < TrafficCounts.CLASSES.size(); i++) {
            json.append(i == 0 ? "" : ", ").append(quote(TrafficCounts.CLASSES.get(i)));
        }
        json.append("], \"samples\": [");
        boolean first = true;
        for (TrafficSample sample : history.samples()) {
            if (sample.epochMillis() <= since) {
                continue;
            }
            TrafficCounts counts = sample.counts();
            json.append(first ? "\n  " : ",\n  ").append("{\"t\": ").append(sample.epochMillis())
                    .append(", \"ms\": ").append(sample.intervalMillis())
                    .append(", \"proxies\": ").append(sample.proxies())
                    .append(", \"requests\": ").append(counts.requests())
                    .append(", \"responses\": [");
            for (int i = 0; i < counts.responses().size(); i++) {
                json.append(i == 0 ? "" : ", ").append(counts.responses().get(i));
            }
            json.append("], \"proxyErrors\": ").append(counts.proxyErrors()).append('}');
            first = false;
        }
        return json.append(first ? "]}\n" : "\n]}\n").toString();
    }

    public static String events(List<SupervisorEvent> events) {
        StringBuilder json = new StringBuilder("{\"capacity\": ").append(SupervisorEvents.CAPACITY)
                .append(", \"events\": [");
        for (int i = 0; i < events.size(); i++) {
            SupervisorEvent event = events.get(i);
            json.append(i == 0 ? "\n  " : ",\n  ").append("{\"t\": ").append(event.epochMillis())
                    .append(", \"time\": ").append(quote(Instant.ofEpochMilli(event.epochMillis()).toString()))
                    .append(", \"kind\": ").append(quote(event.kind().word()))
                    .append(", \"outcome\": ").append(quote(event.outcome()))
                    .append(", \"detail\": ").append(quote(event.detail())).append('}');
        }
        return json.append(events.isEmpty() ? "]}\n" : "\n]}\n").toString();
    }
}
