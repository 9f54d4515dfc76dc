package io.rebound.balance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every configured server and the immutable list of those that take requests: healthy (checks pass) and
 * {@link ServerState#READY}. A change of either builds a new list and swaps it in; the request path reads the current
 * list without locks.
 */
public final class ServerPool {
    private final List<Server> all;
    private final boolean[] healthy;
    private final ServerState[] states;
    private volatile List<Server> upServers = List.of();

    public ServerPool(List<ServerSettings> settings) {
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            servers.add(new Server(settings.get(i), i));
        }
        this.all = List.copyOf(servers);
        this.healthy = new boolean[all.size()];
        this.states = new ServerState[all.size()];
        Arrays.fill(states, ServerState.READY);
    }

    public List<Server> all() {
        return all;
    }

    /** The servers that take requests, in configuration order. */
    public List<Server> upServers() {
        return upServers;
    }

    /** Whether the server takes requests now. */
    public boolean isUp(Server server) {
        return upServers.contains(server);
    }

    /** Whether the server's checks pass (or, unchecked, it has an address), whatever its runtime state. */
    public synchronized boolean isHealthy(Server server) {
        return healthy[server.index()];
    }

    public synchronized ServerState state(Server server) {
        return states[server.index()];
    }

    /** UP, DOWN, DRAIN or MAINT. */
    public synchronized ServerStatus status(Server server) {
        return ServerStatus.of(states[server.index()], healthy[server.index()]);
    }

    /** Marks a server healthy or not and publishes the new list; returns how many servers take requests afterwards. */
    public synchronized int setUp(Server server, boolean isUp) {
        healthy[server.index()] = isUp;
        return publish();
    }

    /** Sets the server's runtime state and publishes the new list; returns how many servers take requests afterwards. */
    public synchronized int setState(Server server, ServerState state) {
        states[server.index()] = Objects.requireNonNull(state, "state");
        return publish();
    }

    private int publish() {
        List<Server> next = new ArrayList<>();
        for (Server candidate : all) {
            if (healthy[candidate.index()] && states[candidate.index()] == ServerState.READY) {
                next.add(candidate);
            }
        }
        upServers = List.copyOf(next);
        return next.size();
    }
}
