package io.rebound.proxy;

import io.rebound.balance.BalanceAlgorithm;
import io.rebound.balance.ServerSettings;
import io.rebound.check.CheckSettings;
import io.rebound.resolve.ResolverSettings;
import java.util.List;
import java.util.Objects;

/**
 * The servers (HAProxy's backend) and how they are chosen, found and checked.
 *
 * @param balance how a request picks a server ({@code rebound.balance})
 * @param servers every server, groups expanded and {@code rebound.default-server} applied ({@code rebound.servers})
 * @param resolvers resolution of server names ({@code rebound.resolvers})
 * @param check active health checks ({@code rebound.check})
 */
public record BackendSettings(BalanceAlgorithm balance, List<ServerSettings> servers, ResolverSettings resolvers,
                              CheckSettings check) {

    public BackendSettings {
        Objects.requireNonNull(balance, "balance");
        servers = List.copyOf(servers);
        Objects.requireNonNull(resolvers, "resolvers");
        Objects.requireNonNull(check, "check");
    }
}
