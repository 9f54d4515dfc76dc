package io.rebound.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * Crash-loop detection, as systemd's StartLimitBurst/StartLimitIntervalSec: {@code burst} starts within
 * {@code interval} mean the child is crash-looping ({@code rebound.supervisor.start-limit-burst},
 * {@code rebound.supervisor.start-limit-interval}).
 */
public record StartLimit(int burst, Duration interval) {

    public StartLimit {
        Objects.requireNonNull(interval, "interval");
    }
}
