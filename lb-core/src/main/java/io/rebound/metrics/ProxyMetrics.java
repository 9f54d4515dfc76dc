package io.rebound.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rebound.balance.Server;
import io.rebound.balance.ServerPool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/** The proxy's Prometheus registry: per-server meters, frontend meters, JVM and process metrics. */
public final class ProxyMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServerMeters[] servers;
    private final Counter frontendRequests;
    private final Map<String, Counter> frontendErrors = new ConcurrentHashMap<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private volatile IntSupplier currentConnections = () -> 0;

    public ProxyMetrics(ServerPool pool) {
        // Two of Micrometer's process meters break Prometheus naming rules that promtool checks: drop the CPU time
        // in nanoseconds (process_cpu_usage remains) and rename the processor count away from the "_count" suffix.
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.processors") : id;
            }
        });
        List<Server> all = pool.all();
        servers = new ServerMeters[all.size()];
        for (Server server : all) {
            servers[server.index()] = new ServerMeters(registry, pool, server);
        }
        frontendRequests = Counter.builder("rebound.frontend.http.requests")
                .description("HTTP requests received by the traffic listener").register(registry);
        Gauge.builder("rebound.frontend.current.connections", this, m -> m.currentConnections.getAsInt())
                .description("Client connections open on the traffic listener").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** The pre-resolved meters of a server. */
    public ServerMeters server(Server server) {
        return servers[server.index()];
    }

    public void frontendRequest() {
        frontendRequests.increment();
    }

    /** Adds {@code count} to the requests the proxy refused itself for {@code reason} (0 makes the series exist). */
    public void frontendError(String reason, int count) {
        frontendErrors.computeIfAbsent(reason, r -> Counter.builder("rebound.frontend.request.errors")
                .description("Client requests the proxy refused itself, by reason").tag("reason", r)
                .register(registry)).increment(count);
    }

    /** Requests received by the traffic listener since this process started. */
    public long frontendRequests() {
        return (long) frontendRequests.count();
    }

    /** Responses from all servers since this process started, by class in the order of ServerMeters.CODE_CLASSES. */
    public long[] responsesByClass() {
        long[] totals = new long[ServerMeters.CODE_CLASSES.size()];
        for (ServerMeters server : servers) {
            server.addResponsesTo(totals);
        }
        return totals;
    }

    /** Client requests the proxy refused itself since this process started, whatever the reason. */
    public long frontendErrors() {
        return frontendErrors.values().stream().mapToLong(counter -> (long) counter.count()).sum();
    }

    /** Where the current connection count comes from, once the traffic listener exists. */
    public void currentConnectionsFrom(IntSupplier source) {
        this.currentConnections = source;
    }

    /** The Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
