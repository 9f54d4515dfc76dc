package io.rebound.balance;

import io.rebound.config.HostPort;
import java.util.Objects;

/**
 * One member of the backend as configured (HAProxy: {@code server apache1 10.0.0.11:80 weight 1 check}).
 *
 * @param group for one slot of a group ({@code addresses = all}, HAProxy's server-template): the name of the group
 *              entry, whose slots {@code <group>-1 ... <group>-<max>} share the address's name; "" for a plain server
 */
public record ServerSettings(String name, HostPort address, int weight, boolean check, String group) {

    /** Weights run from 1 to this, as in HAProxy. */
    public static final int MAX_WEIGHT = 256;

    public ServerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(group, "group");
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 1-" + MAX_WEIGHT + ")");
        }
    }

    /** A plain server, not part of a group. */
    public ServerSettings(String name, HostPort address, int weight, boolean check) {
        this(name, address, weight, check, "");
    }

    /** Whether this is one slot of a group entry. */
    public boolean inGroup() {
        return !group.isEmpty();
    }
}
