package io.rebound.runtime;

import static io.rebound.admin.JsonText.quote;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.rebound.balance.ServerState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * The runtime state of every server the operator has touched, by name; a server not named is ready with its
 * configured weight. Immutable. {@code generation} grows with every change, so a proxy that is told the state twice
 * (read from the file at start, pushed by the supervisor) keeps the newer one.
 *
 * <p>Its JSON, the state file's content and the body the supervisor pushes to each proxy:
 * <pre>{"format": 1, "generation": 7, "servers": [{"name": "apache2", "state": "drain", "weight": null}]}</pre>
 */
public record RuntimeState(long generation, Map<String, ServerRuntime> servers) {
    /** The one format this code writes and reads. */
    static final int FORMAT = 1;
    public static final RuntimeState EMPTY = new RuntimeState(0, Map.of());

    public RuntimeState {
        if (generation < 0) {
            throw new IllegalArgumentException("generation: " + generation + " (expected: 0 or more)");
        }
        TreeMap<String, ServerRuntime> sorted = new TreeMap<>();
        for (Map.Entry<String, ServerRuntime> entry : servers.entrySet()) {
            if (!entry.getKey().equals(entry.getValue().name())) {
                throw new IllegalArgumentException("servers: " + entry.getKey() + " holds " + entry.getValue().name());
            }
            if (!entry.getValue().isDefault()) {
                sorted.put(entry.getKey(), entry.getValue());
            }
        }
        servers = Collections.unmodifiableMap(sorted);
    }

    /** The runtime state of {@code name}: ready with its configured weight when not set. */
    public ServerRuntime of(String name) {
        return servers.getOrDefault(name, ServerRuntime.ready(name));
    }

    /** The next generation, with {@code server} as given. */
    public RuntimeState with(ServerRuntime server) {
        Map<String, ServerRuntime> next = new TreeMap<>(servers);
        next.put(server.name(), server);
        return new RuntimeState(generation + 1, next);
    }

    /** The next generation without the servers not in {@code names}; this state when none is dropped. */
    public RuntimeState retainOnly(Set<String> names) {
        if (names.containsAll(servers.keySet())) {
            return this;
        }
        Map<String, ServerRuntime> next = new TreeMap<>(servers);
        next.keySet().retainAll(names);
        return new RuntimeState(generation + 1, next);
    }

    /** The servers that are not ready, as "apache2 drain, apache3 maint", or "" when all are. */
    public String notReady() {
        List<String> named = new ArrayList<>();
        for (ServerRuntime server : servers.values()) {
            if (server.state() != ServerState.READY) {
                named.add(server.name() + " " + server.state().word());
            }
        }
        return String.join(", ", named);
    }

    public String toJson() {
        StringBuilder json = new StringBuilder("{\"format\": ").append(FORMAT)
                .append(", \"generation\": ").append(generation).append(", \"servers\": [");
        Collection<ServerRuntime> all = servers.values();
        int i = 0;
        for (ServerRuntime server : all) {
            json.append(i++ == 0 ? "\n  " : ",\n  ").append("{\"name\": ").append(quote(server.name()))
                    .append(", \"state\": ").append(quote(server.state().word()))
                    .append(", \"weight\": ").append(server.weight().isPresent() ? server.weight().getAsInt() : "null")
                    .append('}');
        }
        return json.append(all.isEmpty() ? "]}\n" : "\n]}\n").toString();
    }

    /**
     * Reads the JSON {@link #toJson} writes.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static RuntimeState parse(String json) {
        Objects.requireNonNull(json, "json");
        try {
            Config root = ConfigFactory.parseString(json, ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.JSON).setAllowMissing(false));
            int format = root.getInt("format");
            if (format != FORMAT) {
                throw new IllegalArgumentException("format: " + format + " (expected: " + FORMAT + ")");
            }
            Map<String, ServerRuntime> servers = new TreeMap<>();
            for (Config server : root.getConfigList("servers")) {
                String name = server.getString("name");
                OptionalInt weight = server.getIsNull("weight") ? OptionalInt.empty()
                        : OptionalInt.of(server.getInt("weight"));
                if (servers.put(name, new ServerRuntime(name, ServerState.parse(server.getString("state")), weight))
                        != null) {
                    throw new IllegalArgumentException("servers: " + name + " twice (expected: each server once)");
                }
            }
            return new RuntimeState(root.getLong("generation"), servers);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
