package io.rebound.check;

import io.rebound.balance.Server;
import io.rebound.balance.ServerAddress;
import io.rebound.balance.ServerPool;
import io.rebound.balance.ServerState;
import io.rebound.metrics.ProxyMetrics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every server with {@code check} on, each on its own schedule, staggered across the interval so that checks do
 * not fire in step. Applies rise/fall hysteresis, publishes the up servers through the {@link ServerPool} and logs each
 * transition once with its reason and consequence. Checks block on sockets, so they run on this checker's own
 * threads, never on I/O threads. Servers with {@code check} off are up from the start.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);
    /** Checks are short; a few threads serve many servers because a check takes at most its timeout. */
    private static final int MAX_THREADS = 8;

    private final ServerPool pool;
    private final CheckSettings settings;
    private final ProxyMetrics metrics;
    private final HttpCheck check;
    private final List<ServerCheckState> states = new ArrayList<>();
    /** By server index; null for a server with check off. */
    private final ServerCheckState[] byIndex;
    private final ScheduledExecutorService scheduler;

    public HealthChecker(ServerPool pool, CheckSettings settings, ProxyMetrics metrics) {
        this.pool = pool;
        this.settings = settings;
        this.metrics = metrics;
        this.check = new HttpCheck(settings);
        this.byIndex = new ServerCheckState[pool.all().size()];
        for (Server server : pool.all()) {
            if (server.settings().check()) {
                ServerCheckState state = new ServerCheckState(server, Health.initial(settings.rise(), settings.fall()));
                states.add(state);
                byIndex[server.index()] = state;
            } else {
                pool.setUp(server, server.socket().isPresent());
            }
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(Math.max(1, Math.min(MAX_THREADS, states.size())), task -> {
            Thread thread = new Thread(task, "rebound-check-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Checks every checked server once, in parallel, and returns when all are done. Runs before the proxy is ready. */
    public void runFirstRound() {
        for (Server server : pool.all()) {
            if (byIndex[server.index()] == null) {
                pool.setUp(server, server.socket().isPresent()); // its name has been resolved since construction
            }
        }
        List<CompletableFuture<Void>> round = new ArrayList<>();
        for (ServerCheckState state : states) {
            round.add(CompletableFuture.runAsync(() -> checkOnce(state), scheduler));
        }
        CompletableFuture.allOf(round.toArray(CompletableFuture[]::new)).join();
        for (ServerCheckState state : states) {
            ServerHealth health = state.snapshot();
            if (pool.state(state.server) == ServerState.MAINT) {
                continue; // not checked: its state is logged where it was set
            }
            if (!health.up() && state.server.socket().isPresent()) {
                log.warn("Server {} is DOWN at start ({}), {} of {} servers up", state.server.name(),
                        health.lastCheck().map(CheckResult::reason).orElse("not checked"), pool.upServers().size(),
                        pool.all().size());
            } else if (!health.up() && !state.server.settings().inGroup()) {
                log.warn("Server {} is DOWN at start ({}), {} of {} servers up", state.server.name(),
                        state.server.address().dnsError().orElse("no address"), pool.upServers().size(),
                        pool.all().size());
            }
        }
    }

    /** Starts the periodic checks, staggered: server i of n first runs i/n of an interval from now. */
    public void start() {
        long interval = settings.interval().toNanos();
        for (int i = 0; i < states.size(); i++) {
            ServerCheckState state = states.get(i);
            long firstDelay = interval * (i + 1) / states.size();
            scheduler.scheduleWithFixedDelay(() -> checkOnce(state), firstDelay, interval, TimeUnit.NANOSECONDS);
        }
    }

    /** Each server's check state, in configuration order. */
    public List<ServerHealth> health() {
        List<ServerHealth> result = new ArrayList<>();
        for (Server server : pool.all()) {
            ServerCheckState state = byIndex[server.index()];
            result.add(state != null ? state.snapshot()
                    : new ServerHealth(server, false, pool.isHealthy(server), Optional.empty(), 0, 0));
        }
        return result;
    }

    /**
     * The server moves to {@code next} (another address, or none): it leaves the up servers at once, takes the new
     * address, and comes back only after {@code rise} passing checks on it, so a recreated instance still booting gets
     * nothing. Checks still running on the old address are ignored when they end. Called on the resolver's thread.
     */
    public void addressChanged(Server server, ServerAddress next) {
        ServerCheckState state = byIndex[server.index()];
        if (state == null) {
            synchronized (server) {
                server.swapAddress(next);
                pool.setUp(server, next.socket().isPresent());
            }
            return;
        }
        boolean wasUp;
        int upCount;
        synchronized (state) {
            wasUp = state.isUp();
            upCount = pool.setUp(server, false);
            server.swapAddress(next);
            state.restart(new Health(0, settings.rise(), settings.fall()));
        }
        if (wasUp) {
            String why = next.socket().isPresent() ? "moved to " + ServerAddress.text(next.socket())
                    + ": back after " + settings.rise() + " passing checks there"
                    : next.dnsError().orElse("its address is no longer in DNS");
            log.warn("Server {} is DOWN ({}), {} of {} servers left", server.name(), why, upCount, pool.all().size());
            metrics.server(server).upDownTransition();
        }
        if (next.socket().isPresent() && !scheduler.isShutdown()) {
            try {
                scheduler.execute(() -> checkOnce(state)); // the first check on the new address now, not in a while
            } catch (RejectedExecutionException e) {
                // stopping: no more checks
            }
        }
    }

    /**
     * The operator moved the server from {@code from} to {@code to}. MAINT stops its checks (a check already running is
     * ignored when it ends) and forgets that it was healthy, so that leaving MAINT cannot send it a request on old
     * news; leaving MAINT starts the checks over: the server is down until its next check passes, which runs now.
     * From DRAIN to READY the pool holds the server until a check started since passes: that check runs now too.
     * Called after the pool has the new state.
     */
    public void stateChanged(Server server, ServerState from, ServerState to) {
        ServerCheckState state = byIndex[server.index()];
        if (state == null || from == to) {
            return;
        }
        if (from == ServerState.DRAIN && to == ServerState.READY) {
            checkNow(state);
            return;
        }
        if (from != ServerState.MAINT && to != ServerState.MAINT) {
            return;
        }
        if (to == ServerState.MAINT) {
            synchronized (state) {
                pool.setUp(server, false);
            }
            return;
        }
        synchronized (state) {
            pool.setUp(server, false);
            state.restart(Health.initial(settings.rise(), settings.fall()));
        }
        checkNow(state);
    }

    private void checkNow(ServerCheckState state) {
        if (state.server.socket().isPresent() && !scheduler.isShutdown()) {
            try {
                scheduler.execute(() -> checkOnce(state));
            } catch (RejectedExecutionException e) {
                // stopping: no more checks
            }
        }
    }

    private void checkOnce(ServerCheckState state) {
        try {
            Optional<InetSocketAddress> target = state.server.socket();
            if (target.isEmpty() || pool.state(state.server) == ServerState.MAINT) {
                return; // no address, or in maintenance: nothing to check
            }
            long startedAt = System.nanoTime();
            apply(state, check.run(target.get(), state.server.settings().address()), target.get(), startedAt);
        } catch (RuntimeException e) {
            log.error("Health check of server {} failed unexpectedly", state.server.name(), e);
        }
    }

    void apply(ServerCheckState state, CheckResult result, InetSocketAddress target, long startedAt) {
        boolean up;
        int upCount;
        synchronized (state) {
            if (!state.server.socket().equals(Optional.of(target))
                    || pool.state(state.server) == ServerState.MAINT) {
                return; // a check of an address the server has left since, or one that ended after MAINT was set
            }
            metrics.server(state.server).checkDone(result.passed(), result.duration());
            boolean changed = state.record(result);
            boolean unheld = result.passed() && pool.checkPassed(state.server, startedAt);
            up = state.isUp();
            if (!changed) {
                if (unheld && up) {
                    log.info("Server {} takes requests again ({} after it was set ready), {} of {} servers take "
                            + "requests", state.server.name(), result.reason(), pool.upServers().size(),
                            pool.all().size());
                }
                return;
            }
            upCount = pool.setUp(state.server, up);
        }
        metrics.server(state.server).upDownTransition();
        int total = pool.all().size();
        if (up) {
            log.info("Server {} is UP ({}), {} of {} servers up", state.server.name(), result.reason(), upCount, total);
        } else if (upCount == 0) {
            log.warn("Server {} is DOWN ({}), no servers left: requests get 503 until one comes back",
                    state.server.name(), result.reason());
        } else {
            log.warn("Server {} is DOWN ({}), {} of {} servers left", state.server.name(), result.reason(), upCount,
                    total);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
