package io.rebound.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rebound.balance.Server;
import io.rebound.balance.ServerPool;
import io.rebound.balance.ServerState;
import io.rebound.balance.ServerStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one server, resolved once at start so the request path only increments fields (no registry lookups,
 * no tag allocation). Names follow HAProxy's Prometheus exporter ({@code haproxy_server_*} becomes
 * {@code rebound_server_*}).
 */
public final class ServerMeters {
    /** Latency buckets from 1 ms to 10 s: enough resolution for loopback and for slow backends alike. */
    private static final Duration[] RESPONSE_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10)};
    /** The {@code code} tag values of {@code rebound.server.http.responses}, in this order everywhere. */
    public static final List<String> CODE_CLASSES = List.of("1xx", "2xx", "3xx", "4xx", "5xx", "other");

    private final Counter[] responses = new Counter[CODE_CLASSES.size()];
    private final Timer responseTime;
    private final Counter checksPassed;
    private final Counter checksFailed;
    private final Timer checkDuration;
    private final Counter upDown;
    private final Counter retries;
    private final Counter addressChanges;

    ServerMeters(MeterRegistry registry, ServerPool pool, Server server) {
        String name = server.name();
        for (int i = 0; i < CODE_CLASSES.size(); i++) {
            responses[i] = Counter.builder("rebound.server.http.responses")
                    .description("HTTP responses from the server, by status code class")
                    .tag("server", name).tag("code", CODE_CLASSES.get(i)).register(registry);
        }
        responseTime = Timer.builder("rebound.server.response.time")
                .description("Time from choosing the server to the end of the exchange")
                .tag("server", name).serviceLevelObjectives(RESPONSE_BUCKETS).register(registry);
        checksPassed = checkCounter(registry, name, "passed");
        checksFailed = checkCounter(registry, name, "failed");
        checkDuration = Timer.builder("rebound.server.check.duration")
                .description("Duration of health checks of the server")
                .tag("server", name).register(registry);
        upDown = Counter.builder("rebound.server.check.up.down")
                .description("Transitions of the server between up and down")
                .tag("server", name).register(registry);
        retries = Counter.builder("rebound.server.retries")
                .description("Requests retried after this server failed them: on another server, or on a new connection "
                        + "after a reused one it closed")
                .tag("server", name).register(registry);
        addressChanges = Counter.builder("rebound.server.address.changes")
                .description("Changes of the server's address after a resolution of its name (or to none)")
                .tag("server", name).register(registry);
        Gauge.builder("rebound.server.up", pool,
                        p -> p.isHealthy(server) && p.state(server) != ServerState.MAINT ? 1 : 0)
                .description("1 when the server's checks pass (drained or not), 0 when it is down or in maintenance")
                .tag("server", name).register(registry);
        for (ServerStatus status : ServerStatus.values()) {
            Gauge.builder("rebound.server.status", pool, p -> p.status(server) == status ? 1 : 0)
                    .description("1 for the server's current status (UP, DOWN, DRAIN, MAINT), 0 for the others")
                    .tag("server", name).tag("state", status.name()).register(registry);
        }
        Gauge.builder("rebound.server.weight", server, Server::weight)
                .description("The server's weight in use: the configured one or the one set at run time")
                .tag("server", name).register(registry);
    }

    private static Counter checkCounter(MeterRegistry registry, String server, String result) {
        return Counter.builder("rebound.server.check")
                .description("Health checks of the server, by result")
                .tag("server", server).tag("result", result).register(registry);
    }

    public void response(int status, long nanos) {
        int codeClass = status / 100;
        responses[codeClass >= 1 && codeClass <= 5 ? codeClass - 1 : CODE_CLASSES.size() - 1].increment();
        responseTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Adds this server's responses so far to {@code totals}, by class in the order of {@link #CODE_CLASSES}. */
    void addResponsesTo(long[] totals) {
        for (int i = 0; i < responses.length; i++) {
            totals[i] += (long) responses[i].count();
        }
    }

    public void checkDone(boolean passed, Duration duration) {
        (passed ? checksPassed : checksFailed).increment();
        checkDuration.record(duration);
    }

    public void upDownTransition() {
        upDown.increment();
    }

    public void addressChanged() {
        addressChanges.increment();
    }

    public void retried() {
        retries.increment();
    }
}
