package io.rebound.balance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every configured server and the immutable list of those that take requests: healthy (checks pass),
 * {@link ServerState#READY} and not held. A change of any builds a new list and swaps it in; the request path reads
 * the current list without locks.
 *
 * <p>A checked server set READY after a drain is held until a check that started after that passes: it was drained
 * for a reason (a deploy restarts it), and its checks may not have seen the restart yet.
 */
public final class ServerPool {
    private final List<Server> all;
    private final boolean[] healthy;
    private final ServerState[] states;
    private final boolean[] held;
    /** When each hold began (System.nanoTime): only a check started since may end it. */
    private final long[] heldSince;
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
        this.held = new boolean[all.size()];
        this.heldSince = new long[all.size()];
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

    /** UP, DOWN, DRAIN or MAINT; a held server is DOWN until a check after its hold passes. */
    public synchronized ServerStatus status(Server server) {
        return ServerStatus.of(states[server.index()], healthy[server.index()] && !held[server.index()]);
    }

    /** Marks a server healthy or not and publishes the new list; returns how many servers take requests afterwards. */
    public synchronized int setUp(Server server, boolean isUp) {
        healthy[server.index()] = isUp;
        return publish();
    }

    /**
     * Sets the server's runtime state and publishes the new list; returns how many servers take requests afterwards.
     * A checked server going from DRAIN to READY is held (see the class comment).
     */
    public synchronized int setState(Server server, ServerState state) {
        int i = server.index();
        ServerState before = states[i];
        states[i] = Objects.requireNonNull(state, "state");
        held[i] = before == ServerState.DRAIN && state == ServerState.READY && server.settings().check();
        heldSince[i] = System.nanoTime();
        return publish();
    }

    /**
     * A check of the server that started at {@code startedAt} (System.nanoTime) passed: it ends the server's hold if
     * the hold began before the check started. Returns whether it ended one.
     */
    public synchronized boolean checkPassed(Server server, long startedAt) {
        int i = server.index();
        if (!held[i] || startedAt - heldSince[i] < 0) {
            return false;
        }
        held[i] = false;
        publish();
        return true;
    }

    private int publish() {
        List<Server> next = new ArrayList<>();
        for (Server candidate : all) {
            int i = candidate.index();
            if (healthy[i] && states[i] == ServerState.READY && !held[i]) {
                next.add(candidate);
            }
        }
        upServers = List.copyOf(next);
        return next.size();
    }
}
