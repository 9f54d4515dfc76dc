package io.rebound.proxy;

import io.rebound.admin.AdminHandler;
import io.rebound.balance.Server;
import io.rebound.balance.ServerPool;
import io.rebound.check.HealthChecker;
import io.rebound.config.HostPort;
import io.rebound.metrics.ProxyMetrics;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.attribute.ExchangeAttributes;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
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
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    /** Worker threads serve only /metrics scrapes and blocking admin work; requests stay on the I/O threads. */
    private static final int TASK_THREADS = 4;
    /** Pending connections the kernel keeps for the traffic listener under bursts. */
    private static final int BACKLOG = 1024;

    private final ProxySettings settings;
    private final XnioWorker worker;
    private final ServerPool pool;
    private final ProxyMetrics metrics;
    private final HealthChecker checker;
    private final ServerConnectionPool[] connections;
    private final GracefulShutdownHandler graceful;
    private Undertow admin;
    private Undertow traffic;
    private volatile boolean started;

    private ProxyServer(ProxySettings settings) throws IOException {
        this.settings = settings;
        this.worker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_NAME, "rebound")
                .set(Options.WORKER_IO_THREADS, settings.effectiveIoThreads())
                .set(Options.WORKER_TASK_CORE_THREADS, TASK_THREADS)
                .set(Options.WORKER_TASK_MAX_THREADS, TASK_THREADS)
                .set(Options.TCP_NODELAY, true)
                .getMap());
        this.pool = new ServerPool(settings.servers());
        this.metrics = new ProxyMetrics(pool);
        this.checker = new HealthChecker(pool, settings.check(), metrics);
        this.connections = new ServerConnectionPool[pool.all().size()];
        for (Server server : pool.all()) {
            HostPort address = server.settings().address();
            connections[server.index()] = new ServerConnectionPool(
                    URI.create("http://" + address), settings);
        }
        this.graceful = new GracefulShutdownHandler(new FrontendHandler(proxyHandler(), metrics, settings));
    }

    /**
     * Starts the proxy and returns once it is started (traffic listener bound, first checks done).
     *
     * @throws ListenerBindException when a listener cannot bind its address
     */
    public static ProxyServer start(ProxySettings settings) {
        ProxyServer server;
        try {
            server = new ProxyServer(settings);
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
        admin = listen("rebound.admin.bind", settings.adminBind(), Undertow.builder(),
                new AdminHandler(() -> started, pool, checker, metrics));
        log.info("Admin listener on {}", address(admin));
        checker.runFirstRound();
        checker.start();
        traffic = listen("rebound.bind", settings.bind(), Undertow.builder()
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT,
                        (int) Math.min(Integer.MAX_VALUE, settings.timeouts().clientIdle().toMillis()))
                .setServerOption(UndertowOptions.ENABLE_STATISTICS, true)
                .setSocketOption(Options.BACKLOG, BACKLOG), graceful);
        metrics.currentConnectionsFrom(() -> (int) traffic.getListenerInfo().get(0).getConnectorStatistics()
                .getActiveConnections());
        started = true;
        log.info("Proxy listening on {}, balance {}, {} of {} servers up", address(traffic),
                io.rebound.config.ConfigReader.word(settings.balance()), pool.upServers().size(), pool.all().size());
    }

    private Undertow listen(String key, HostPort address, Undertow.Builder builder, HttpHandler handler) {
        Undertow undertow = builder.setWorker(worker).addHttpListener(address.port(), address.host())
                .setHandler(handler).build();
        try {
            undertow.start();
            return undertow;
        } catch (RuntimeException e) {
            undertow.stop();
            Throwable cause = e;
            while (cause != null && !(cause instanceof BindException)) {
                cause = cause.getCause();
            }
            String reason = cause != null ? cause.getMessage() : e.getMessage();
            throw new ListenerBindException("Cannot listen on " + address + " (" + key + "): " + reason, e);
        }
    }

    private HttpHandler proxyHandler() {
        ProxyHandler.Builder builder = ProxyHandler.builder()
                .setProxyClient(new BalancingProxyClient(pool, settings.balance().newBalancer(), connections,
                        metrics, settings.retries(), settings.forwardedFor()
                        ? ConnectionEditor.NONE : ConnectionEditor.WITHOUT_FORWARDED_HEADERS))
                .setMaxRequestTime((int) settings.timeouts().response().toMillis())
                .setRewriteHostHeader(false)
                .setReuseXForwarded(true)
                .setMaxConnectionRetries(settings.retries())
                .setNext(exchange -> PlainText.send(exchange, StatusCodes.SERVICE_UNAVAILABLE,
                        "503 Service Unavailable: no server is up\n"));
        if (settings.serverConnection() == ServerConnectionMode.CLOSE) {
            builder.addRequestHeader(Headers.CONNECTION, ExchangeAttributes.constant("close"));
        }
        return builder.build();
    }

    private static String address(Undertow undertow) {
        return String.valueOf(undertow.getListenerInfo().get(0).getAddress());
    }

    public boolean isStarted() {
        return started;
    }

    /** The bound traffic address (the real port when the configuration asked for port 0... or any port). */
    public InetSocketAddress trafficAddress() {
        return (InetSocketAddress) traffic.getListenerInfo().get(0).getAddress();
    }

    public InetSocketAddress adminAddress() {
        return (InetSocketAddress) admin.getListenerInfo().get(0).getAddress();
    }

    public ServerPool servers() {
        return pool;
    }

    /**
     * Stops accepting, lets in-flight requests finish for at most {@code drain}, then stops everything. Requests that
     * arrive on open keep-alive connections meanwhile get 503 and the connection is closed.
     */
    public void close(Duration drain) {
        started = false;
        if (traffic != null) {
            traffic.getListenerInfo().get(0).suspend();
            graceful.shutdown();
            try {
                if (!graceful.awaitShutdown(drain.toMillis())) {
                    log.warn("Drain timeout {} passed with requests still in flight; closing them", drain);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            traffic.stop();
        }
        checker.close();
        for (ServerConnectionPool connectionPool : connections) {
            if (connectionPool != null) {
                connectionPool.close();
            }
        }
        if (admin != null) {
            admin.stop();
        }
        worker.shutdownNow();
        metrics.close();
    }

    @Override
    public void close() {
        close(settings.drainTimeout());
    }
}
