package io.rebound.runtime;

import io.rebound.balance.ServerSettings;
import io.rebound.balance.ServerState;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the operator set for one server at run time: its state and, when set, its weight (empty: the configured one).
 *
 * @param name the server's name as configured ({@code rebound.servers[].name}, or a group's slot such as {@code web-3})
 */
public record ServerRuntime(String name, ServerState state, OptionalInt weight) {

    public ServerRuntime {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(weight, "weight");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: '' (expected: a server's name)");
        }
        if (weight.isPresent() && (weight.getAsInt() < 1 || weight.getAsInt() > ServerSettings.MAX_WEIGHT)) {
            throw new IllegalArgumentException("weight: " + weight.getAsInt() + " (expected: 1-"
                    + ServerSettings.MAX_WEIGHT + ")");
        }
    }

    /** A server the operator has not touched: ready, configured weight. */
    public static ServerRuntime ready(String name) {
        return new ServerRuntime(name, ServerState.READY, OptionalInt.empty());
    }

    public ServerRuntime withState(ServerState next) {
        return new ServerRuntime(name, next, weight);
    }

    public ServerRuntime withWeight(int next) {
        return new ServerRuntime(name, state, OptionalInt.of(next));
    }

    /** The configured weight again. */
    public ServerRuntime withoutWeight() {
        return new ServerRuntime(name, state, OptionalInt.empty());
    }

    /** Whether nothing is set: such a server needs no entry in the state. */
    public boolean isDefault() {
        return state == ServerState.READY && weight.isEmpty();
    }

    /** "drain", "maint, weight 50", "weight 50" or "ready", for log lines. */
    public String describe() {
        String weightText = weight.isPresent() ? "weight " + weight.getAsInt() : "";
        if (state == ServerState.READY) {
            return weightText.isEmpty() ? "ready" : weightText;
        }
        return weightText.isEmpty() ? state.word() : state.word() + ", " + weightText;
    }
}
