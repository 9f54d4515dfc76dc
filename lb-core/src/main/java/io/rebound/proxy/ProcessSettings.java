package io.rebound.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * How the proxy process runs and stops.
 *
 * @param drainTimeout longest wait for in-flight requests on SIGTERM/SIGINT ({@code rebound.drain-timeout})
 * @param accessLog whether each request is logged on {@code rebound.access} ({@code rebound.access-log})
 * @param ioThreads Undertow I/O threads; 0 is one per available processor ({@code rebound.io-threads})
 */
public record ProcessSettings(Duration drainTimeout, boolean accessLog, int ioThreads) {

    public ProcessSettings {
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** The I/O thread count to use: the configured one, or one per available processor when it is 0. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
