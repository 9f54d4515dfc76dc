package io.rebound.proxy;

import io.rebound.admin.AdminToken;
import io.rebound.balance.BalanceAlgorithm;
import io.rebound.balance.ServerSettings;
import io.rebound.check.CheckSettings;
import io.rebound.config.HostPort;
import io.rebound.resolve.ResolverSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Everything the proxy reads from {@code rebound.*} (but {@code rebound.supervisor}), read once and validated. */
public record ProxySettings(
        HostPort bind,
        BalanceAlgorithm balance,
        List<ServerSettings> servers,
        ResolverSettings resolvers,
        CheckSettings check,
        boolean forwardedFor,
        ServerConnectionMode serverConnection,
        int maxConnectionsPerServer,
        Timeouts timeouts,
        long maxRequestBody,
        int retries,
        QueueSettings queue,
        HostPort adminBind,
        Duration drainTimeout,
        boolean accessLog,
        int ioThreads,
        ClientLimits limits,
        Optional<AdminToken> adminToken) {

    public ProxySettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(balance, "balance");
        servers = List.copyOf(servers);
        Objects.requireNonNull(resolvers, "resolvers");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(serverConnection, "serverConnection");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(adminBind, "adminBind");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(adminToken, "adminToken");
    }

    /** The I/O thread count to use: the configured one, or one per available processor when it is 0. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
