package io.rebound.proxy;

import java.time.Duration;
import java.util.Objects;

/** {@code rebound.timeouts}. */
public record Timeouts(Duration connect, Duration response, Duration clientIdle, Duration poolIdle,
                       Duration requestHead) {

    public Timeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(clientIdle, "clientIdle");
        Objects.requireNonNull(poolIdle, "poolIdle");
        Objects.requireNonNull(requestHead, "requestHead");
    }
}
