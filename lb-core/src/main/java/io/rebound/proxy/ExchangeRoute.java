package io.rebound.proxy;

import io.rebound.balance.Server;
import io.undertow.client.ClientConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.ArrayList;
import java.util.List;
import org.xnio.IoUtils;

/**
 * Where one client request went: the server it is on now, the connection it uses, the servers it already tried and
 * how many retries that took; and its {@code timeouts.response}, which a failure reported past it acts on (see
 * {@link BalancingProxyClient#findTarget}). Attached to the exchange; touched only by the thread that runs the exchange at the time.
 *
 * <p>Giving up on an attempt closes its connection, and closing a connection whose response is still awaited makes
 * Undertow report that attempt's failure a second time, from within the close. {@link #abandoning()} tells such a
 * report apart, so that it does not start a second retry beside the first (which answered the client twice, or 503).
 */
final class ExchangeRoute {
    static final AttachmentKey<ExchangeRoute> KEY = AttachmentKey.create(ExchangeRoute.class);

    final long startNanos;
    private Server current;
    private ClientConnection connection;
    /** The connection last handed to ProxyHandler; kept when its attempt is given up on, as ProxyHandler keeps it. */
    private ClientConnection proxiedConnection;
    /** The request's {@code timeouts.response}, or null when it has none. */
    private ResponseTimeout.TimedExchange timeout;
    /** Whether {@link #connection} carried an exchange before this one. */
    private boolean reused;
    /** The server whose reused connection failed: the retry to it takes a new connection. */
    private Server freshConnectionTo;
    private int retries;
    private boolean abandoning;
    /** A report made while abandoning was answered with a target whose connection request is to be dropped. */
    private boolean dropNextConnectionRequest;
    /** Servers given up on, by index; allocated on the first retry only. */
    private boolean[] tried;
    /** Why the proxy refused the request itself (a body that failed while read), or null. */
    private Refusal refusal;
    private boolean refusalCounted;

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

    void connected(ClientConnection connection, boolean reused) {
        this.connection = connection;
        this.reused = reused;
    }

    /** The connection handed to ProxyHandler for the current attempt, as ProxyHandler will use it. */
    void proxied(ClientConnection connection) {
        this.proxiedConnection = connection;
    }

    /** The connection last handed to ProxyHandler, or null before the first; what a time-out closes. */
    ClientConnection proxiedConnection() {
        return proxiedConnection;
    }

    void timeWith(ResponseTimeout.TimedExchange timeout) {
        this.timeout = timeout;
    }

    /** Times the request out now if its {@code timeouts.response} has passed; returns whether it did. */
    boolean timeOutIfPassed() {
        return timeout != null && timeout.timeOutIfPassed();
    }

    /**
     * Gives up on the current attempt (its connect or its connection failed), counts a retry and closes the attempt's
     * connection, if any. The server is given up on too, unless the connection was a reused one: a server may close an
     * idle connection just as a request is sent on it (its keep-alive timeout, a restart), which is no failure of the
     * server's, so it stays a candidate, on a new connection.
     */
    Server abandonCurrent(int serverCount) {
        Server abandoned = current;
        if (tried == null) {
            tried = new boolean[serverCount];
        }
        if (connection != null && reused) {
            freshConnectionTo = abandoned;
        } else {
            tried[abandoned.index()] = true;
        }
        abandoned.requestEnded();
        retries++;
        ClientConnection failed = connection;
        connection = null;
        reused = false;
        current = null;
        abandoning = true;
        try {
            IoUtils.safeClose(failed);
        } finally {
            abandoning = false;
        }
        return abandoned;
    }

    /** Whether the connection for {@code server} must be a new one; true once after a reused one to it failed. */
    boolean takeFreshConnection(Server server) {
        boolean fresh = server == freshConnectionTo;
        freshConnectionTo = null;
        return fresh;
    }

    /** Retries so far: attempts given up on. */
    int retries() {
        return retries;
    }

    /** Whether the attempt being given up on is closing its connection right now (a report now is about it). */
    boolean abandoning() {
        return abandoning;
    }

    /** The next request for a connection belongs to a report about the attempt being given up on: drop it. */
    void dropNextConnectionRequest() {
        dropNextConnectionRequest = true;
    }

    /** Whether this request for a connection is to be dropped; true once per {@link #dropNextConnectionRequest}. */
    boolean takeDroppedConnectionRequest() {
        boolean drop = dropNextConnectionRequest;
        dropNextConnectionRequest = false;
        return drop;
    }

    /** Notes why the request failed on the client's side; the first reason stands. */
    void refuse(Refusal reason) {
        if (refusal == null) {
            refusal = reason;
        }
    }

    /** The refusal noted on the exchange's route, or {@code fallback}. */
    static Refusal refusalOf(HttpServerExchange exchange, Refusal fallback) {
        ExchangeRoute route = exchange.getAttachment(KEY);
        return route == null || route.refusal == null ? fallback : route.refusal;
    }

    /** The refusal was answered and counted where it was made. */
    void refusalAnswered() {
        refusalCounted = true;
    }

    /**
     * When the response starts: a request whose body failed while it streamed gets the refusal's status instead of
     * the 500 {@code ProxyHandler} sets after a read error, and is counted; its connection closes after the answer.
     */
    void answerRefusal(HttpServerExchange exchange) {
        if (refusal == null || refusalCounted) {
            return;
        }
        refusalCounted = true;
        exchange.setStatusCode(refusal.status);
        exchange.setPersistent(false);
        ClientConnectionGuard guard = ClientConnectionGuard.of(exchange);
        if (guard != null) {
            guard.refused(refusal.reason, exchange.getRequestMethod() + " " + exchange.getRequestURI());
        }
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
