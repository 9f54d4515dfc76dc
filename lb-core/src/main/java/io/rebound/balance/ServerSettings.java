package io.rebound.balance;

import io.rebound.config.HostPort;
import java.util.Objects;

/** One member of the backend as configured (HAProxy: {@code server apache1 10.0.0.11:80 weight 1 check}). */
public record ServerSettings(String name, HostPort address, int weight, boolean check) {

    /** Weights run from 1 to this, as in HAProxy. */
    public static final int MAX_WEIGHT = 256;

    public ServerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 1-" + MAX_WEIGHT + ")");
        }
    }
}
