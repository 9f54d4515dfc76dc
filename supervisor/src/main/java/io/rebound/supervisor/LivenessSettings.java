package io.rebound.supervisor;

import java.time.Duration;
import java.util.Objects;

/** How the child's {@code /health/live} is probed ({@code rebound.supervisor.liveness}). */
public record LivenessSettings(Duration interval, Duration timeout, int failures) {

    public LivenessSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (failures < 1) {
            throw new IllegalArgumentException("failures: " + failures + " (expected: at least 1)");
        }
    }
}
