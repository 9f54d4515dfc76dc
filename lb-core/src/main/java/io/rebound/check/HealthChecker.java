package io.rebound.check;

import io.rebound.balance.Server;
import io.rebound.balance.ServerPool;
import io.rebound.metrics.ProxyMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
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
    private final ScheduledExecutorService scheduler;

    public HealthChecker(ServerPool pool, CheckSettings settings, ProxyMetrics metrics) {
        this.pool = pool;
        this.settings = settings;
        this.metrics = metrics;
        this.check = new HttpCheck(settings);
        for (Server server : pool.all()) {
            if (server.settings().check()) {
                states.add(new ServerCheckState(server, Health.initial(settings.rise(), settings.fall())));
            } else {
                pool.setUp(server, true);
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
        List<CompletableFuture<Void>> round = new ArrayList<>();
        for (ServerCheckState state : states) {
            round.add(CompletableFuture.runAsync(() -> checkOnce(state), scheduler));
        }
        CompletableFuture.allOf(round.toArray(CompletableFuture[]::new)).join();
        for (ServerCheckState state : states) {
            ServerHealth health = state.snapshot();
            if (!health.up()) {
                log.warn("Server {} is DOWN at start ({}), {} of {} servers up", state.server.name(),
                        health.lastCheck().map(CheckResult::reason).orElse("not checked"), pool.upServers().size(),
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
            Optional<ServerCheckState> state = states.stream().filter(s -> s.server == server).findFirst();
            result.add(state.map(ServerCheckState::snapshot).orElseGet(
                    () -> new ServerHealth(server, false, pool.isUp(server), Optional.empty(), 0, 0)));
        }
        return result;
    }

    private void checkOnce(ServerCheckState state) {
        try {
            apply(state, check.run(state.server.settings().address()));
        } catch (RuntimeException e) {
            log.error("Health check of server {} failed unexpectedly", state.server.name(), e);
        }
    }

    void apply(ServerCheckState state, CheckResult result) {
        metrics.server(state.server).checkDone(result.passed(), result.duration());
        if (!state.record(result)) {
            return;
        }
        boolean up = state.isUp();
        int upCount = pool.setUp(state.server, up);
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
