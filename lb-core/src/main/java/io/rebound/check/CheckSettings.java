package io.rebound.check;

import java.time.Duration;
import java.util.Objects;

/** {@code rebound.check}: how servers are health-checked (HAProxy: option httpchk, inter, rise, fall). */
public record CheckSettings(String method, String path, Duration interval, Duration timeout, int rise, int fall,
                            StatusRange expectStatus) {

    public CheckSettings {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(expectStatus, "expectStatus");
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise/fall: " + rise + "/" + fall + " (expected: at least 1)");
        }
    }
}
