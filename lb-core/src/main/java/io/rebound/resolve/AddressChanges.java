package io.rebound.resolve;

import io.rebound.balance.Server;
import io.rebound.balance.ServerAddress;

/** What the proxy does when a server's address changes: take it out, swap the address, drop connections to the old. */
@FunctionalInterface
public interface AddressChanges {

    /**
     * Called on the resolver's thread when {@code next} holds another socket address (or none) than the server's
     * current one; the implementation swaps it in ({@link Server#swapAddress}).
     */
    void change(Server server, ServerAddress next);
}
