package io.rebound.proxy;

import io.rebound.balance.Server;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on logger {@code rebound.access}: client, method, path, status, server, duration. The logback
 * configuration puts an asynchronous appender behind it, so the I/O thread only enqueues the event.
 */
final class AccessLog {
    private static final Logger access = LoggerFactory.getLogger("rebound.access");

    private AccessLog() {
    }

    static void log(HttpServerExchange exchange, Server server, long nanos) {
        if (!access.isInfoEnabled()) {
            return;
        }
        InetSocketAddress client = exchange.getSourceAddress();
        access.info("{} \"{} {}\" {} {} {}ms",
                client == null || client.getAddress() == null ? "-" : client.getAddress().getHostAddress(),
                exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getStatusCode(),
                server == null ? "-" : server.name(), String.format("%.3f", nanos / 1e6));
    }
}
