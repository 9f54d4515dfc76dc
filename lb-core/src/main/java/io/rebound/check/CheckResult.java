package io.rebound.check;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The outcome of one health check: passed or not, why ("status 200", "connection refused"), when and how long. */
public record CheckResult(boolean passed, String reason, Instant at, Duration duration) {

    public CheckResult {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(duration, "duration");
    }
}
