package io.rebound.admin;

import io.rebound.metrics.ProxyMetrics;
import io.rebound.metrics.ServerMeters;

/**
 * {@code /traffic}: this proxy's traffic counters since its process started, for the supervisor's status page, which
 * samples them every second and keeps the differences:
 * <pre>
 * {"pid": 4711, "requests": 1200, "responses": {"1xx": 0, "2xx": 1180, "3xx": 0, "4xx": 12, "5xx": 3, "other": 0},
 *  "proxyErrors": 5}
 * </pre>
 * {@code requests} counts what the traffic listener received, {@code responses} what the servers answered by status
 * class, {@code proxyErrors} the requests the proxy refused itself. The counters only grow while this process lives;
 * {@code pid} tells a reader that a counter which went down belongs to a new process.
 */
final class TrafficJson {

    private TrafficJson() {
    }

    static String render(long pid, ProxyMetrics metrics) {
        long[] responses = metrics.responsesByClass();
        StringBuilder json = new StringBuilder("{\"pid\": ").append(pid)
                .append(", \"requests\": ").append(metrics.frontendRequests())
                .append(", \"responses\": {");
        for (int i = 0; i < responses.length; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(ServerMeters.CODE_CLASSES.get(i)).append("\": ")
                    .append(responses[i]);
        }
        return json.append("}, \"proxyErrors\": ").append(metrics.frontendErrors()).append("}\n").toString();
    }
}
