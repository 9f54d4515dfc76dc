package io.rebound.proxy;

import io.rebound.admin.AdminAccess;
import io.rebound.admin.AdminAccessHandler;
import io.rebound.admin.AdminHandler;
import io.rebound.admin.AdminSettings;
import io.rebound.balance.Server;
import io.rebound.balance.ServerPool;
import io.rebound.check.HealthChecker;
import io.rebound.config.ConfigText;
import io.rebound.config.HostPort;
import io.rebound.metrics.ProxyMetrics;
import io.rebound.resolve.ServerResolver;
import io.rebound.runtime.RuntimeControl;
import io.undertow.attribute.ExchangeAttributes;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The running proxy: admin listener, health checker and traffic listener over one XNIO worker. {@link #start} brings
 * them up in the order that opens no window of 503s: admin first (so probes see "starting"), then the first round of
 * health checks, then the traffic listener; only then is the proxy started.
 */
public final class ProxyServer implements AutoCloseable {
    private final AtomicBoolean closing = new AtomicBoolean();
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    /** Worker threads serve only /metrics scrapes and blocking admin work; requests stay on the I/O threads. */
    private static final int TASK_THREADS = 4;

    private final ProxySettings settings;
    private final XnioWorker worker;
    private final ServerPool pool;
    private final ProxyMetrics metrics;
    private final HealthChecker checker;
    private final ServerResolver resolver;
    private final ServerConnectionPool[] connections;
    private final DrainHandler drain;
    private final FrontendErrors errors;
    /** The supervisor's listening socket to serve, or null to bind {@code rebound.bind} here. */
    private final ServerSocketChannel sharedSocket;
    /** Where a successor serves its admin endpoints until it has taken {@code rebound.admin.bind}, or null. */
    private final HostPort successorAdmin;
    /** The supervisor's runtime state file, read once the admin listener (where changes arrive) is up; or null. */
    private final Path runtimeStateFile;
    private final RuntimeControl runtime;
    private AdminListeners admin;
    private TrafficListener traffic;
    private volatile boolean started;

    private ProxyServer(ProxySettings settings, ServerSocketChannel sharedSocket, HostPort successorAdmin,
            Path runtimeStateFile) throws IOException {
        this.settings = settings;
        this.sharedSocket = sharedSocket;
        this.successorAdmin = successorAdmin;
        this.runtimeStateFile = runtimeStateFile;
        this.worker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, "rebound")
                .set(Options.WORKER_IO_THREADS, settings.process().effectiveIoThreads())
                .set(Options.WORKER_TASK_CORE_THREADS, TASK_THREADS)
                .set(Options.WORKER_TASK_MAX_THREADS, TASK_THREADS)
                .set(Options.TCP_NODELAY, true)
                .getMap());
        this.pool = new ServerPool(settings.backend().servers());
        this.metrics = new ProxyMetrics(pool);
        this.checker = new HealthChecker(pool, settings.backend().check(), metrics);
        this.connections = new ServerConnectionPool[pool.all().size()];
        for (Server server : pool.all()) {
            connections[server.index()] = new ServerConnectionPool(server, pool, settings);
        }
        this.resolver = new ServerResolver(pool, settings.backend().resolvers(), (server, next) -> {
            checker.addressChanged(server, next);
            connections[server.index()].addressChanged();
            metrics.server(server).addressChanged();
        });
        this.runtime = new RuntimeControl(pool, checker, server -> connections[server.index()].closeIdle());
        this.errors = new FrontendErrors(metrics);
        this.drain = new DrainHandler(new FrontendHandler(proxyHandler(), metrics, settings));
    }

    /**
     * Starts the proxy and returns once it is started (traffic listener bound, first checks done).
     *
     * @throws ListenerBindException when a listener cannot bind its address
     */
    public static ProxyServer start(ProxySettings settings) {
        return start(settings, null);
    }

    /**
     * As {@link #start(ProxySettings)}, but serving {@code sharedSocket}, a listening socket bound by another process
     * (the supervisor), instead of binding {@code rebound.bind}; null binds.
     */
    public static ProxyServer start(ProxySettings settings, ServerSocketChannel sharedSocket) {
        return start(settings, sharedSocket, null);
    }

    /**
     * As {@link #start(ProxySettings, ServerSocketChannel)} for a proxy that takes over from a running one (a reload):
     * its admin endpoints answer on {@code successorAdmin} at once, and on {@code rebound.admin.bind} as soon as the
     * previous proxy has let go of it; null binds {@code rebound.admin.bind} at once.
     */
    public static ProxyServer start(ProxySettings settings, ServerSocketChannel sharedSocket, HostPort successorAdmin) {
        return start(settings, sharedSocket, successorAdmin, null);
    }

    /**
     * As {@link #start(ProxySettings, ServerSocketChannel, HostPort)}, following the supervisor's runtime state: the
     * servers start as {@code runtimeStateFile} says (null: all ready), read after the admin listener is up and
     * before the first checks, so a change the supervisor pushes meanwhile is not missed and a server in maintenance
     * is never checked.
     */
    public static ProxyServer start(ProxySettings settings, ServerSocketChannel sharedSocket, HostPort successorAdmin,
            Path runtimeStateFile) {
        ProxyServer server;
        try {
            server = new ProxyServer(settings, sharedSocket, successorAdmin, runtimeStateFile);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the I/O worker: " + e.getMessage(), e);
        }
        try {
            server.startListeners();
            return server;
        } catch (RuntimeException e) {
            server.close(Duration.ZERO);
            throw e;
        }
    }

    private void startListeners() {
        AdminSettings adminSettings = settings.admin();
        HttpHandler adminHandler = new AdminAccessHandler(AdminAccess.of(adminSettings.bind(), adminSettings.token()),
                new AdminHandler(() -> started, pool, checker, metrics, runtime));
        admin = successorAdmin == null ? AdminListeners.bind(worker, adminHandler, adminSettings.bind())
                : AdminListeners.takeOver(worker, adminHandler, successorAdmin, adminSettings.bind());
        log.info("Admin listener on {}", admin.address());
        if (runtimeStateFile != null) {
            runtime.load(runtimeStateFile);
        }
        resolver.resolveAll();
        checker.runFirstRound();
        resolver.start();
        checker.start();
        HostPort bind = settings.frontend().bind();
        try {
            traffic = sharedSocket == null ? TrafficListener.bind(worker, bind, drain, settings, errors)
                    : TrafficListener.inherit(worker, sharedSocket, drain, settings, errors);
        } catch (IOException | UnresolvedAddressException e) {
            String where = sharedSocket == null ? bind + " (rebound.bind)" : "the supervisor's socket";
            throw new ListenerBindException("Cannot listen on " + where + ": "
                    + (e instanceof UnresolvedAddressException ? "unknown host" : e.getMessage()), e);
        }
        metrics.currentConnectionsFrom(() -> (int) traffic.activeConnections());
        started = true;
        log.info("Proxy listening on {}{}, balance {}, {} of {} servers up", traffic.address(),
                sharedSocket == null ? "" : " (the supervisor's socket)",
                ConfigText.word(settings.backend().balance()), pool.upServers().size(), pool.all().size());
    }

    private HttpHandler proxyHandler() {
        ProxyHandler.Builder builder = ProxyHandler.builder()
                .setProxyClient(new BalancingProxyClient(pool, settings.backend().balance().newBalancer(), connections,
                        metrics, settings.forwarding().retries(), settings.forwarding().forwardedFor()
                        ? ConnectionEditor.NONE : ConnectionEditor.WITHOUT_FORWARDED_HEADERS))
                .setRewriteHostHeader(false)
                .setReuseXForwarded(true)
                .setMaxConnectionRetries(settings.forwarding().retries())
                .setNext(exchange -> PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                        "503 Service Unavailable: no server is up\n"));
        if (settings.forwarding().serverConnection() == ServerConnectionMode.CLOSE) {
            builder.addRequestHeader(Headers.CONNECTION, ExchangeAttributes.constant("close"));
        }
        // timeouts.response is kept by ResponseTimeout, not by ProxyHandler's maxRequestTime (a timer per request).
        return new ResponseTimeout(builder.build(), settings.timeouts().response(), worker.getIoThreadCount());
    }

    /** Whether a stop is draining: further responses close their connections. */
    boolean isDraining() {
        return drain.draining();
    }

    public boolean isStarted() {
        return started;
    }

    /** The bound traffic address, with the real port when the configuration asked for port 0. */
    public InetSocketAddress trafficAddress() {
        return traffic.address();
    }

    /** The admin address bound first: {@code rebound.admin.bind}, or a successor's interim address. */
    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public ServerPool servers() {
        return pool;
    }

    /** Where the runtime state of the servers is applied. */
    public RuntimeControl runtime() {
        return runtime;
    }

    /**
     * Stops accepting, lets in-flight requests finish for at most {@code drainTimeout}, then stops everything.
     * Requests that arrive on open keep-alive connections meanwhile are served, and their connection closed after.
     * Only the first call does anything: closing XNIO's listener a second time would wait forever for its worker.
     */
    public void close(Duration drainTimeout) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        started = false;
        if (traffic != null) {
            traffic.stopAccepting();
            try {
                if (!drain.drain(drainTimeout.toMillis(), traffic::activeConnections)) {
                    log.warn("Drain timeout {} ms passed with {} requests in flight and {} connections open; "
                            + "closing them", drainTimeout.toMillis(), drain.inFlight(), traffic.activeConnections());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            traffic.closeConnections();
        }
        resolver.close();
        checker.close();
        for (ServerConnectionPool connectionPool : connections) {
            if (connectionPool != null) {
                connectionPool.close();
            }
        }
        if (admin != null) {
            admin.close();
        }
        worker.shutdownNow();
        metrics.close();
    }

    @Override
    public void close() {
        close(settings.process().drainTimeout());
    }
}
