package io.rebound.supervisor;

import io.rebound.config.HostPort;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Asks a child one of its health questions. {@link HealthProbe} asks over HTTP; tests answer for fake children. */
interface Prober {

    /** Asks the child whose admin listener is {@code admin}; never completes exceptionally. */
    CompletableFuture<Outcome> ask(HostPort admin, Probe probe, Duration timeout);

    /** The child's health endpoints. */
    enum Probe {
        /** 200 once the proxy is started and at least one server is up. */
        READY("health/ready"),
        /** 200 once its listener is bound and its first round of checks is done, servers up or not. */
        STARTED("health/started"),
        /** 200 while its event loop answers. */
        LIVE("health/live");

        private final String path;

        Probe(String path) {
            this.path = path;
        }

        String path() {
            return path;
        }
    }

    /** The outcome of one probe: passed on a 200 within the timeout, with a detail for the log. */
    record Outcome(boolean passed, String detail) {
    }
}
