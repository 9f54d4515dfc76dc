package io.rebound.supervisor.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.rebound.supervisor.RestartReason;
import io.rebound.supervisor.Supervisor;
import io.rebound.supervisor.SupervisorStatus;
import io.rebound.supervisor.VrrpRole;
import java.util.function.ToDoubleFunction;

/**
 * The supervisor's meters, all read from its latest {@link SupervisorStatus} at scrape time (nothing to keep in step):
 * <ul>
 *   <li>{@code rebound_supervisor_restarts_total{reason=exit-code|signal|liveness|not-ready}}</li>
 *   <li>{@code rebound_supervisor_reloads_total} reloads that replaced the proxy child</li>
 *   <li>{@code rebound_supervisor_standby_up} 1 while a warm standby child is ready beside the main one</li>
 *   <li>{@code rebound_supervisor_listener_shared{cause}} 1 when the proxies serve the supervisor's listening socket
 *   (none refused across restarts), 0 when each binds it itself; {@code cause} says why</li>
 *   <li>{@code rebound_supervisor_child_up} 1 while the child is running (ready or started), else 0</li>
 *   <li>{@code rebound_supervisor_child_start_time_seconds} epoch seconds of the current child's launch (NaN if none)</li>
 *   <li>{@code rebound_supervisor_last_exit_code} exit value of the last child (128+N for signal N; NaN if none)</li>
 *   <li>{@code rebound_supervisor_crash_looping} 1 while restarts come too fast and their delay grows</li>
 *   <li>{@code rebound_supervisor_next_restart_delay_seconds} the pending restart's delay (NaN if none)</li>
 *   <li>{@code rebound_supervisor_vrrp_state{state=MASTER|BACKUP|FAULT|STOP}} 1 for the VRRP state keepalived told
 *   last, 0 for the others (all 0 until told), as HAProxy's state sets</li>
 * </ul>
 * plus the JVM's own meters (memory, GC, threads, classes, CPU, uptime).
 */
public final class SupervisorMetrics {

    private SupervisorMetrics() {
    }

    public static void bind(MeterRegistry registry, Supervisor supervisor, VrrpRole vrrp) {
        for (VrrpRole.State state : VrrpRole.State.values()) {
            Gauge.builder("rebound.supervisor.vrrp.state", vrrp,
                            role -> role.current().filter(told -> told.state() == state).isPresent() ? 1 : 0)
                    .tag("state", state.name())
                    .description("1 for the VRRP state keepalived last told (rebound vrrp-notify), else 0")
                    .register(registry);
        }
        for (RestartReason reason : RestartReason.values()) {
            FunctionCounter.builder("rebound.supervisor.restarts", supervisor,
                            s -> s.status().restarts().get(reason))
                    .tag("reason", reason.label())
                    .description("Restarts of the proxy child, by reason")
                    .register(registry);
        }
        FunctionCounter.builder("rebound.supervisor.reloads", supervisor, s -> s.status().reloads())
                .description("Reloads that replaced the proxy child with one of the new configuration")
                .register(registry);
        gauge(registry, supervisor, "rebound.supervisor.standby.up", null,
                "1 while a warm standby proxy child is ready beside the main one (rebound.supervisor.standby)",
                s -> s.standbyReady() ? 1 : 0);
        Gauge.builder("rebound.supervisor.listener.shared", supervisor, s -> s.status().listener().shared() ? 1 : 0)
                .tag("cause", supervisor.status().listener().cause().label())
                .description("1 when the proxies serve the supervisor's listening socket, so no connection is refused "
                        + "across restarts; 0 when each binds rebound.bind itself")
                .register(registry);
        gauge(registry, supervisor, "rebound.supervisor.child.up", null,
                "1 while the proxy child is running (ready, or started at the start timeout)",
                s -> s.childUp() ? 1 : 0);
        gauge(registry, supervisor, "rebound.supervisor.child.start.time", "seconds",
                "Launch time of the current proxy child, seconds since the epoch",
                s -> s.childStartedEpochMillis().isPresent() ? s.childStartedEpochMillis().getAsLong() / 1000.0
                        : Double.NaN);
        gauge(registry, supervisor, "rebound.supervisor.last.exit.code", null,
                "Exit value of the last proxy child to end (128 + N after signal N)",
                s -> s.lastExit().map(exit -> (double) exit.exitValue()).orElse(Double.NaN));
        gauge(registry, supervisor, "rebound.supervisor.crash.looping", null,
                "1 while the proxy child restarts too often and the restart delay grows",
                s -> s.crashLooping() ? 1 : 0);
        gauge(registry, supervisor, "rebound.supervisor.next.restart.delay", "seconds",
                "Delay of the pending restart of the proxy child",
                s -> s.nextRestartDelay().map(delay -> delay.toNanos() / 1e9).orElse(Double.NaN));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private static void gauge(MeterRegistry registry, Supervisor supervisor, String name, String unit,
            String description, ToDoubleFunction<SupervisorStatus> value) {
        Gauge.builder(name, supervisor, s -> value.applyAsDouble(s.status()))
                .baseUnit(unit)
                .description(description)
                .register(registry);
    }
}
