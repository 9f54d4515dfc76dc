package io.rebound.proxy;

import io.rebound.balance.Server;
import io.undertow.client.ClientConnection;
import io.undertow.util.AttachmentKey;
import java.util.ArrayList;
import java.util.List;
import org.xnio.IoUtils;

/**
 * Where one client request went: the server it is on now, the connection it uses and the servers it already tried.
 * Attached to the exchange; touched only by the thread that runs the exchange at the time.
 */
final class ExchangeRoute {
    static final AttachmentKey<ExchangeRoute> KEY = AttachmentKey.create(ExchangeRoute.class);

    final long startNanos;
    private Server current;
    private ClientConnection connection;
    /** Servers given up on, by index; allocated on the first retry only. */
    private boolean[] tried;

    ExchangeRoute(long startNanos) {
        this.startNanos = startNanos;
    }

    Server current() {
        return current;
    }

    /** The request goes to {@code server}; it counts as in flight there until it ends or is retried elsewhere. */
    void choose(Server server) {
        current = server;
        server.requestStarted();
    }

    void connected(ClientConnection connection) {
        this.connection = connection;
    }

    /** Gives up on the current server (its connect or its connection failed): closes its connection, if any. */
    Server abandonCurrent(int serverCount) {
        Server abandoned = current;
        if (tried == null) {
            tried = new boolean[serverCount];
        }
        tried[abandoned.index()] = true;
        abandoned.requestEnded();
        IoUtils.safeClose(connection);
        connection = null;
        current = null;
        return abandoned;
    }

    /** The candidates this request has not tried yet. */
    List<Server> untried(List<Server> candidates) {
        if (tried == null) {
            return candidates;
        }
        List<Server> untried = new ArrayList<>(candidates.size());
        for (Server server : candidates) {
            if (!tried[server.index()]) {
                untried.add(server);
            }
        }
        return untried;
    }

    /** The exchange ended; returns the server it was sent to, or null when no server connection was reached. */
    Server end() {
        Server last = current;
        if (last == null) {
            return null;
        }
        last.requestEnded();
        current = null;
        return connection == null ? null : last;
    }
}
