package io.rebound.supervisor.history;

import io.rebound.config.HostPort;
import io.rebound.supervisor.runtime.ChildProxies;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every proxy child for its counters once a second, on a daemon thread of its own (never the supervisor's event
 * loop), and adds what they counted since the previous sample to a {@link TrafficHistory}. Stops on {@link #close()}.
 */
public final class TrafficSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrafficSampler.class);
    /** The resolution of the status page's charts. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Supplier<List<HostPort>> children;
    private final ChildProxies proxies;
    private final TrafficHistory history;
    private final TrafficDeltas deltas = new TrafficDeltas();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread sampler = new Thread(task, "rebound-traffic-sampler");
        sampler.setDaemon(true);
        return sampler;
    });
    private long lastMillis;

    private TrafficSampler(Supplier<List<HostPort>> children, ChildProxies proxies, TrafficHistory history) {
        this.children = children;
        this.proxies = proxies;
        this.history = history;
    }

    /** Samples the proxies at {@code children}'s admin addresses into {@code history} until closed. */
    public static TrafficSampler start(Supplier<List<HostPort>> children, ChildProxies proxies,
            TrafficHistory history) {
        TrafficSampler sampler = new TrafficSampler(Objects.requireNonNull(children, "children"),
                Objects.requireNonNull(proxies, "proxies"), Objects.requireNonNull(history, "history"));
        sampler.lastMillis = System.currentTimeMillis();
        sampler.thread.scheduleAtFixedRate(sampler::sample, INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return sampler;
    }

    private void sample() {
        try {
            List<ProxyReading> readings = proxies.traffic(children.get()).stream().map(ProxyReading::parse)
                    .flatMap(Optional::stream).toList();
            long now = System.currentTimeMillis();
            history.add(new TrafficSample(now, Math.max(1, now - lastMillis), readings.size(), deltas.next(readings)));
            lastMillis = now;
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log, and sample again in a second.
            log.warn("Traffic sample failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
