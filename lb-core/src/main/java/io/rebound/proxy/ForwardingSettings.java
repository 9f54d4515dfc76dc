package io.rebound.proxy;

import java.util.Objects;

/**
 * How a request travels to its server: the headers added, the server connections used, the wait for one, and the
 * retries on another server.
 *
 * @param forwardedFor whether X-Forwarded-For/-Proto/-Host are set ({@code rebound.forwarded-for})
 * @param serverConnection keep-alive or close ({@code rebound.server-connection})
 * @param maxConnectionsPerServer per server and I/O thread; 0 is no limit ({@code rebound.max-connections-per-server})
 * @param queue requests waiting for a free server connection ({@code rebound.queue})
 * @param retries retries on another server ({@code rebound.retries})
 */
public record ForwardingSettings(boolean forwardedFor, ServerConnectionMode serverConnection,
                                 int maxConnectionsPerServer, QueueSettings queue, int retries) {

    public ForwardingSettings {
        Objects.requireNonNull(serverConnection, "serverConnection");
        Objects.requireNonNull(queue, "queue");
    }
}
