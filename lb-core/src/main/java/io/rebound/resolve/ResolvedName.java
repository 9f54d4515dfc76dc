package io.rebound.resolve;

import io.rebound.balance.Server;
import java.util.List;

/**
 * One name the resolver looks up: a plain server's ({@code addresses = one}) or a group's ({@code addresses = all},
 * its slots in order). Its hold is touched only by the one task that resolves this name.
 */
record ResolvedName(String host, int port, List<Server> servers, boolean group, NameHold hold) {

    String label() {
        return group ? servers.get(0).settings().group() : servers.get(0).name();
    }
}
