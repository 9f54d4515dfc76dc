package io.rebound.proxy;

import io.rebound.balance.Server;
import io.rebound.balance.ServerPool;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * The connections to one server, kept per I/O thread so that the request path takes no lock: every method runs on the
 * I/O thread of the exchange it serves, and each connection lives on the I/O thread that opened it.
 *
 * <p>What Undertow's own pool does not do, and this one does: an idle connection is reused only while it has been idle
 * less than {@code pool-idle} (checked when it is taken, not only by a timer), so a connection the server is closing
 * after its keep-alive timeout is never handed out; idle connections are taken newest first, so the pool shrinks to
 * what the load needs; a connect that takes longer than the connect timeout fails over; requests beyond
 * {@code max-connections-per-server} wait in a bounded queue instead of getting 503 at once. In {@code close} mode
 * every connection is closed after its exchange. A connection is reused only while its server's bytes kept in step with
 * its exchanges ({@link PooledServerConnection#reusable()}): the pool opens its sockets itself, so that a conduit of
 * Rebound's sees every byte of a response before Undertow's HTTP client parses it.
 */
final class ServerConnectionPool implements AutoCloseable {
    private final Server server;
    private final ServerPool servers;
    private final boolean reuse;
    private final int maxConnections;
    private final int queueSize;
    private final long queueTimeoutMillis;
    private final long connectTimeoutMillis;
    private final long poolIdleNanos;
    private final OptionMap options = OptionMap.builder().set(Options.TCP_NODELAY, true).getMap();
    private final Map<XnioIoThread, PerThread> threads = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ServerConnectionPool(Server server, ServerPool servers, ProxySettings settings) {
        this.server = server;
        this.servers = servers;
        ForwardingSettings forwarding = settings.forwarding();
        this.reuse = forwarding.serverConnection() == ServerConnectionMode.KEEP_ALIVE;
        this.maxConnections = forwarding.maxConnectionsPerServer() == 0 ? Integer.MAX_VALUE
                : forwarding.maxConnectionsPerServer();
        this.queueSize = forwarding.queue().size();
        this.queueTimeoutMillis = forwarding.queue().timeout().toMillis();
        this.connectTimeoutMillis = settings.timeouts().connect().toMillis();
        this.poolIdleNanos = settings.timeouts().poolIdle().toNanos();
    }

    /**
     * Hands a connection to {@code callback}: an idle pooled one (unless {@code fresh}), a new one, or one freed while
     * queued.
     */
    void borrow(HttpServerExchange exchange, boolean fresh, ConnectionCallback callback) {
        PerThread thread = threads.computeIfAbsent(exchange.getIoThread(), PerThread::new);
        // The server's one current address, the one its checks use too; an idle connection elsewhere is an old one.
        InetSocketAddress target = server.socket().orElse(null);
        long now = System.nanoTime();
        IdleConnection idle;
        while (!fresh && (idle = thread.idle.pollLast()) != null) {
            if (idle.connection.reusable() && now - idle.since < poolIdleNanos && idle.target.equals(target)) {
                handOut(thread, idle.connection, idle.target, exchange, callback);
                return;
            }
            IoUtils.safeClose(idle.connection);
        }
        if (closed) {
            callback.failed("proxy stopping");
        } else if (target == null) {
            callback.failed("no address");
        } else if (thread.open < maxConnections) {
            open(thread, target, exchange, callback);
        } else if (thread.waiters.size() >= queueSize) {
            callback.failed("queue full");
        } else {
            Waiter waiter = new Waiter(exchange, callback);
            waiter.timeout = thread.ioThread.executeAfter(() -> {
                if (thread.waiters.remove(waiter)) {
                    callback.failed("queue timeout");
                }
            }, queueTimeoutMillis, TimeUnit.MILLISECONDS);
            thread.waiters.addLast(waiter);
        }
    }

    private void open(PerThread thread, InetSocketAddress target, HttpServerExchange exchange,
                      ConnectionCallback callback) {
        thread.open++;
        ConnectAttempt attempt = new ConnectAttempt();
        attempt.timeout = thread.ioThread.executeAfter(() -> {
            if (attempt.finish()) {
                attempt.connecting.cancel();
                thread.open--;
                callback.failed("connect timeout after " + connectTimeoutMillis + " ms");
                serveWaiters(thread);
            }
        }, connectTimeoutMillis, TimeUnit.MILLISECONDS);
        ByteBufferPool buffers = exchange.getConnection().getByteBufferPool();
        attempt.connecting = thread.ioThread.openStreamConnection(target,
                socket -> {
                    attempt.timeout.remove();
                    if (!attempt.finish()) {
                        IoUtils.safeClose(socket);
                        return;
                    }
                    PooledServerConnection connection = PooledServerConnection.open(socket, options, buffers);
                    connection.getCloseSetter().set(closed -> connectionClosed(thread, connection));
                    handOut(thread, connection, target, exchange, callback);
                }, options);
        attempt.connecting.addNotifier((connecting, ignored) -> {
            if (connecting.getStatus() != IoFuture.Status.FAILED) {
                return;
            }
            attempt.timeout.remove();
            if (attempt.finish()) {
                thread.open--;
                IOException e = connecting.getException();
                callback.failed(e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage()));
                serveWaiters(thread);
            }
        }, null);
    }

    private void handOut(PerThread thread, PooledServerConnection connection, InetSocketAddress target,
                         HttpServerExchange exchange, ConnectionCallback callback) {
        if (exchange.isComplete()) {
            // The client went away while the request waited for this connection: keep the connection for the next.
            release(thread, connection, target);
            return;
        }
        exchange.addExchangeCompleteListener((done, next) -> {
            release(thread, connection, target);
            next.proceed();
        });
        connection.handedOut();
        callback.connected(connection);
    }

    private void release(PerThread thread, PooledServerConnection connection, InetSocketAddress target) {
        // A server that takes no requests (drained, in maintenance, down) keeps no idle connection: the next request
        // it gets may be after a restart, when this one leads to the old process.
        if (!reuse || closed || !connection.reusable() || !server.socket().equals(Optional.of(target))
                || !servers.isUp(server)) {
            IoUtils.safeClose(connection);
            return;
        }
        Waiter waiter = thread.waiters.pollFirst();
        if (waiter != null) {
            waiter.timeout.remove();
            handOut(thread, connection, target, waiter.exchange, waiter.callback);
            return;
        }
        thread.idle.addLast(new IdleConnection(connection, target, System.nanoTime()));
        scheduleSweep(thread);
    }

    private void connectionClosed(PerThread thread, PooledServerConnection connection) {
        thread.open--;
        thread.idle.removeIf(idle -> idle.connection == connection);
        serveWaiters(thread);
    }

    private void serveWaiters(PerThread thread) {
        while (!closed && thread.open < maxConnections && !thread.waiters.isEmpty()) {
            Waiter waiter = thread.waiters.pollFirst();
            waiter.timeout.remove();
            InetSocketAddress target = server.socket().orElse(null);
            if (target == null) {
                waiter.callback.failed("no address");
            } else {
                open(thread, target, waiter.exchange, waiter.callback);
            }
        }
    }

    /**
     * Closes the idle connections to any other address than the server's current one, each on the I/O thread that owns
     * it. Connections in use finish their exchange, then close instead of returning to the pool.
     */
    void addressChanged() {
        for (PerThread thread : threads.values()) {
            thread.ioThread.execute(() -> {
                Optional<InetSocketAddress> current = server.socket();
                List<IdleConnection> old = thread.idle.stream()
                        .filter(idle -> !current.equals(Optional.of(idle.target))).toList();
                thread.idle.removeAll(old);
                old.forEach(idle -> IoUtils.safeClose(idle.connection));
            });
        }
    }

    /**
     * Closes every idle connection, each on its I/O thread; connections in use finish their exchange first, then close
     * as long as the server takes no requests.
     */
    void closeIdle() {
        for (PerThread thread : threads.values()) {
            thread.ioThread.execute(() -> {
                List<IdleConnection> all = List.copyOf(thread.idle);
                thread.idle.removeAll(all);
                all.forEach(idle -> IoUtils.safeClose(idle.connection));
            });
        }
    }

    /** Closes idle connections past pool-idle, so that they do not hold sockets; reuse checks the age anyway. */
    private void scheduleSweep(PerThread thread) {
        if (thread.sweep != null) {
            return;
        }
        thread.sweep = thread.ioThread.executeAfter(() -> {
            thread.sweep = null;
            long now = System.nanoTime();
            Iterator<IdleConnection> oldestFirst = thread.idle.iterator();
            while (oldestFirst.hasNext()) {
                IdleConnection idle = oldestFirst.next();
                if (now - idle.since < poolIdleNanos) {
                    break;
                }
                oldestFirst.remove();
                IoUtils.safeClose(idle.connection);
            }
            if (!thread.idle.isEmpty()) {
                scheduleSweep(thread);
            }
        }, Math.max(1, poolIdleNanos / 2_000_000), TimeUnit.MILLISECONDS);
    }

    /** Closes the idle connections; connections in use close when their exchange ends. */
    @Override
    public void close() {
        closed = true;
        for (PerThread thread : threads.values()) {
            thread.ioThread.execute(() -> {
                IdleConnection idle;
                while ((idle = thread.idle.pollFirst()) != null) {
                    IoUtils.safeClose(idle.connection);
                }
            });
        }
    }

    /** The part of the pool one I/O thread owns; touched only on that thread. */
    private static final class PerThread {
        final XnioIoThread ioThread;
        final ArrayDeque<IdleConnection> idle = new ArrayDeque<>();
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        int open;
        XnioExecutor.Key sweep;

        PerThread(XnioIoThread ioThread) {
            this.ioThread = ioThread;
        }
    }

    private record IdleConnection(PooledServerConnection connection, InetSocketAddress target, long since) {
    }

    private static final class Waiter {
        final HttpServerExchange exchange;
        final ConnectionCallback callback;
        XnioExecutor.Key timeout;

        Waiter(HttpServerExchange exchange, ConnectionCallback callback) {
            this.exchange = exchange;
            this.callback = callback;
        }
    }

    /** A connect ends once: by its result or by the connect timeout, whichever comes first. */
    private static final class ConnectAttempt {
        XnioExecutor.Key timeout;
        IoFuture<StreamConnection> connecting;
        private boolean finished;

        boolean finish() {
            if (finished) {
                return false;
            }
            finished = true;
            return true;
        }
    }
}
