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
                server == null ? "-" : server.name(), millis(nanos));
    }

    /** Milliseconds with three decimals, without String.format's cost on the I/O thread. */
    static String millis(long nanos) {
        long micros = nanos / 1000;
        long fraction = micros % 1000;
        return micros / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
