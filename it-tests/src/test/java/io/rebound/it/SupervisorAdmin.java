package io.rebound.it;

import java.io.IOException;

/** The supervisor's admin listener (docs/design.md): /metrics, /status, /health/live. */
final class SupervisorAdmin {
    static final String RESTARTS = "rebound_supervisor_restarts_total";

    private final int port;

    SupervisorAdmin(int port) {
        this.port = port;
    }

    MetricsText metrics() throws IOException {
        return MetricsText.scrape(port);
    }

    /** Restarts so far, over every reason (exit code, signal, liveness, not-ready). */
    double restartsTotal() throws IOException {
        return metrics().sum(RESTARTS);
    }
}
