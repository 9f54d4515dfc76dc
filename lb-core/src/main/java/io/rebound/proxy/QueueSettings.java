package io.rebound.proxy;

import java.time.Duration;
import java.util.Objects;

/** {@code rebound.queue}: requests waiting for a free server connection, per server and I/O thread. */
public record QueueSettings(int size, Duration timeout) {

    public QueueSettings {
        Objects.requireNonNull(timeout, "timeout");
    }
}
