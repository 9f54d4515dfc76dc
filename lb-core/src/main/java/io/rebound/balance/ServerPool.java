package io.rebound.balance;

import java.util.ArrayList;
import java.util.List;

/**
 * Every configured server and the immutable list of those that are up. A state change builds a new list and swaps it
 * in; the request path reads the current list without locks.
 */
public final class ServerPool {
    private final List<Server> all;
    private final boolean[] up;
    private volatile List<Server> upServers = List.of();

    public ServerPool(List<ServerSettings> settings) {
        List<Server> servers = new ArrayList<>();
        for (int i = 0; i < settings.size(); i++) {
            servers.add(new Server(settings.get(i), i));
        }
        this.all = List.copyOf(servers);
        this.up = new boolean[all.size()];
    }

    public List<Server> all() {
        return all;
    }

    /** The servers that are up, in configuration order. */
    public List<Server> upServers() {
        return upServers;
    }

    public boolean isUp(Server server) {
        return upServers.contains(server);
    }

    /** Marks a server up or down and publishes the new list; returns how many servers are up afterwards. */
    public synchronized int setUp(Server server, boolean isUp) {
        up[server.index()] = isUp;
        List<Server> next = new ArrayList<>();
        for (Server candidate : all) {
            if (up[candidate.index()]) {
                next.add(candidate);
            }
        }
        upServers = List.copyOf(next);
        return next.size();
    }
}
