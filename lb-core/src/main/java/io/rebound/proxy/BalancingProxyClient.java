package io.rebound.proxy;

import io.rebound.balance.Balancer;
import io.rebound.balance.Server;
import io.rebound.balance.ServerPool;
import io.rebound.metrics.ProxyMetrics;
import io.undertow.client.ClientConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebound's seam in Undertow's {@code ProxyHandler}: chooses the server among those that are up (never one the request
 * already failed on) and hands out a connection from that server's pool. {@code ProxyHandler} calls
 * {@link #findTarget} again for each retry, which is where a failed server is given up on and counted.
 *
 * <p>Rebound counts the retries itself ({@code rebound.retries}): Undertow counts each failure report, and one failure
 * can be reported twice (see {@link ExchangeRoute}), so Undertow is given room for twice as many, and the second report
 * is answered with a target whose connection request is dropped.
 */
final class BalancingProxyClient implements ProxyClient {
    private static final Logger log = LoggerFactory.getLogger(BalancingProxyClient.class);

    private final ServerPool pool;
    private final Balancer balancer;
    private final ServerConnectionPool[] connections;
    private final ServerTarget[] targets;
    private final ProxyMetrics metrics;
    private final ConnectionEditor editor;
    private final int retries;

    BalancingProxyClient(ServerPool pool, Balancer balancer, ServerConnectionPool[] connections, ProxyMetrics metrics,
                         int retries, ConnectionEditor editor) {
        this.pool = pool;
        this.balancer = balancer;
        this.connections = connections.clone();
        this.metrics = metrics;
        this.editor = editor;
        this.retries = retries;
        this.targets = new ServerTarget[pool.all().size()];
        for (Server server : pool.all()) {
            targets[server.index()] = new ServerTarget(server, 2 * retries + 1);
        }
    }

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
        ExchangeRoute route = exchange.getAttachment(ExchangeRoute.KEY);
        if (route.abandoning()) {
            // Reported again from within the close of the failed attempt's connection: the retry is under way.
            route.dropNextConnectionRequest();
            return targets[0];
        }
        if (route.current() != null && route.timeOutIfPassed()) {
            // A failure reported past the request's time: ProxyHandler used to time the request out here (it checked
            // its own time limit before a retry), and the connection request that follows is dropped.
            route.dropNextConnectionRequest();
            return targets[0];
        }
        if (route.current() != null) {
            Server failed = route.abandonCurrent(targets.length);
            if (route.retries() > retries) {
                return null; // no retry left: 503
            }
            metrics.server(failed).retried();
        }
        List<Server> candidates = route.untried(pool.upServers());
        if (candidates.isEmpty()) {
            return null;
        }
        Server server = balancer.pick(candidates);
        route.choose(server);
        return targets[server.index()];
    }

    @Override
    public void getConnection(ProxyTarget target, HttpServerExchange exchange,
                              ProxyCallback<ProxyConnection> callback, long timeout, TimeUnit timeUnit) {
        Server server = ((ServerTarget) target).server;
        ExchangeRoute route = exchange.getAttachment(ExchangeRoute.KEY);
        if (route.takeDroppedConnectionRequest()) {
            return;
        }
        connections[server.index()].borrow(exchange, route.takeFreshConnection(server), new ConnectionCallback() {
            @Override
            public void connected(PooledServerConnection connection) {
                ClientConnection aborting = new AbortingClientConnection(connection);
                route.connected(aborting, connection.reused());
                ClientConnection proxied = editor.edit(new ResponseCheckingConnection(aborting,
                        connection.responses(), exchange, server.name()));
                route.proxied(proxied);
                callback.completed(exchange, new ProxyConnection(proxied, "/"));
            }

            @Override
            public void failed(String reason) {
                log.debug("No connection to server {} for {}: {}", server.name(), exchange.getRequestURI(), reason);
                callback.failed(exchange);
            }
        });
    }

    /** A server as {@code ProxyHandler} sees it: it asks the target how many failure reports to act on. */
    private record ServerTarget(Server server, int retries) implements MaxRetriesProxyTarget {
        @Override
        public int getMaxRetries() {
            return retries;
        }
    }
}
